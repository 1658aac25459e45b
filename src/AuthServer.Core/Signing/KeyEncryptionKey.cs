using System.Security.Cryptography;
using AuthServer.Core.Data;

namespace AuthServer.Core.Signing;

/// <summary>Finds the key that encrypts signing keys at rest: from settings, else from a file made on first start.</summary>
public static class KeyEncryptionKey
{
    public static KeyProtector CreateProtector(SigningOptions options, DataDirectory data)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
            return new KeyProtector(Decode(options.KeyEncryptionKey, "AuthServer:Signing:KeyEncryptionKey"));

        var path = data.Resolve(options.KeyEncryptionKeyFile);
        if (!File.Exists(path)) TryCreate(path);
        return new KeyProtector(Decode(File.ReadAllText(path).Trim(), path));
    }

    private static void TryCreate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            // CreateNew: when two processes start together, one creates and the other reads.
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(path, fileOptions);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        catch (IOException) when (File.Exists(path))
        {
        }
    }

    private static byte[] Decode(string base64, string source)
    {
        try
        {
            var key = Convert.FromBase64String(base64);
            if (key.Length == 32) return key;
        }
        catch (FormatException)
        {
        }
        throw new InvalidOperationException($"{source} must hold base64 of exactly 32 bytes");
    }
}
