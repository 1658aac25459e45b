using System.Security.Cryptography;

namespace AuthServer.Core.Signing;

/// <summary>
/// Encrypts private keys at rest with AES-256-GCM, so a copy of the database alone (a backup, a
/// replica's dump) does not hold usable signing keys. Layout: version | nonce | tag | ciphertext.
/// </summary>
public sealed class KeyProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public KeyProtector(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("the key-encryption key must be 32 bytes", nameof(key));
        _key = key;
    }

    public byte[] Protect(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[1 + NonceSize + TagSize + plaintext.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize));
        return output;
    }

    public byte[] Unprotect(ReadOnlySpan<byte> data)
    {
        if (data.Length < 1 + NonceSize + TagSize || data[0] != Version)
            throw new CryptographicException("protected key has an unknown format");
        var plaintext = new byte[data.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(data.Slice(1, NonceSize), data[(1 + NonceSize + TagSize)..], data.Slice(1 + NonceSize, TagSize), plaintext);
        return plaintext;
    }
}
