using System.Security.Cryptography;
using System.Text;

namespace AuthServer.Core.Identity;

/// <summary>
/// Random bearer secrets (refresh tokens, and later robot and access-token secrets): 32 random
/// bytes, base64url, behind a fixed prefix so secret scanners can recognise a leaked one.
/// Only the SHA-256 is ever stored.
/// </summary>
public static class Secrets
{
    public const string RefreshTokenPrefix = "asrt_";

    public static string Generate(string prefix) =>
        prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>A readable random password for bootstrap and generated accounts.</summary>
    public static string GeneratePassword() => Base64Url(RandomNumberGenerator.GetBytes(18));

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
