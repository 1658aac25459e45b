using System.Security.Cryptography;
using AuthServer.Core.Data;

namespace AuthServer.Core.Signing;

/// <summary>
/// The key that encrypts signing keys at rest: from settings, else from a file in the data
/// directory. The file is made only by <see cref="CreateFile"/>, which start-up calls when the
/// database holds no key yet: a new key beside keys encrypted with another would decrypt none.
/// </summary>
public static class KeyEncryptionKey
{
    public const string Setting = "AuthServer:Signing:KeyEncryptionKey";

    /// <summary>Where the key comes from, as a message names it: the setting, or the file's path.</summary>
    public static string Source(SigningOptions options, DataDirectory data) =>
        IsConfigured(options) ? Setting : data.Resolve(options.KeyEncryptionKeyFile);

    public static bool IsConfigured(SigningOptions options) => !string.IsNullOrWhiteSpace(options.KeyEncryptionKey);

    public static bool Exists(SigningOptions options, DataDirectory data) =>
        IsConfigured(options) || File.Exists(data.Resolve(options.KeyEncryptionKeyFile));

    public static KeyProtector CreateProtector(SigningOptions options, DataDirectory data)
    {
        if (IsConfigured(options)) return new KeyProtector(Decode(options.KeyEncryptionKey!, Setting));
        var path = data.Resolve(options.KeyEncryptionKeyFile);
        if (!File.Exists(path))
            throw new InvalidOperationException($"the key-encryption key {path} does not exist (and {Setting} is unset)");
        return new KeyProtector(Decode(File.ReadAllText(path).Trim(), path));
    }

    /// <summary>Writes a new random key with mode 0600; when two processes start together, one creates and the other reads.</summary>
    public static void CreateFile(SigningOptions options, DataDirectory data)
    {
        var path = data.Resolve(options.KeyEncryptionKeyFile);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
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
