using System.Text.RegularExpressions;

namespace AuthServer.Core.Identity;

/// <summary>How a stored password hash was made.</summary>
public enum PasswordScheme
{
    /// <summary>Not a hash this server can verify.</summary>
    Unknown,

    /// <summary>
    /// The server's own: bcrypt of the SHA-384 of the password (BCrypt.Net-Next's enhanced form),
    /// so passwords longer than bcrypt's 72-byte input are not truncated.
    /// </summary>
    BcryptSha384,

    /// <summary>
    /// Standard bcrypt (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>), as htpasswd -B and docker_auth make it:
    /// brought in by an import and replaced by <see cref="BcryptSha384"/> at the next successful sign-in.
    /// </summary>
    Bcrypt,
}

/// <summary>
/// The stored form of a password hash: <c>scheme:hash</c>. Both schemes store a bcrypt string
/// that looks the same (<c>$2a$11$…</c>), so only the prefix tells them apart. A hash without a
/// prefix was written before schemes were recorded and is the server's own scheme.
/// </summary>
public static partial class PasswordHashFormat
{
    public const string BcryptSha384Prefix = "bcrypt-sha384:";
    public const string BcryptPrefix = "bcrypt:";

    // $2a$/$2b$/$2y$, a two-digit cost, 22 characters of salt and 31 of hash in bcrypt's base64.
    [GeneratedRegex(@"^\$2[aby]\$(?<cost>[0-9]{2})\$[./A-Za-z0-9]{53}$", RegexOptions.CultureInvariant)]
    private static partial Regex BcryptString();

    public static (PasswordScheme Scheme, string Bcrypt) Parse(string stored)
    {
        if (stored.StartsWith(BcryptSha384Prefix, StringComparison.Ordinal)) return (PasswordScheme.BcryptSha384, stored[BcryptSha384Prefix.Length..]);
        if (stored.StartsWith(BcryptPrefix, StringComparison.Ordinal)) return (PasswordScheme.Bcrypt, stored[BcryptPrefix.Length..]);
        return stored.StartsWith('$') ? (PasswordScheme.BcryptSha384, stored) : (PasswordScheme.Unknown, stored);
    }

    public static string Format(PasswordScheme scheme, string bcrypt) => scheme switch
    {
        PasswordScheme.BcryptSha384 => BcryptSha384Prefix + bcrypt,
        PasswordScheme.Bcrypt => BcryptPrefix + bcrypt,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "no stored form"),
    };

    /// <summary>The bcrypt cost (work factor) of a stored hash, whatever its scheme; null when it is not bcrypt.</summary>
    public static int? BcryptCost(string stored)
    {
        var (scheme, bcrypt) = Parse(stored);
        if (scheme == PasswordScheme.Unknown) return null;
        var match = BcryptString().Match(bcrypt);
        if (!match.Success) return null;
        var cost = int.Parse(match.Groups["cost"].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
        return cost is >= 4 and <= 31 ? cost : null;
    }

    /// <summary>
    /// The stored form of a standard bcrypt hash from another system (htpasswd -B, docker_auth);
    /// null when the text is not one (MD5-crypt, SHA-1, crypt, plain text, a damaged hash).
    /// </summary>
    public static string? FromStandardBcrypt(string hash) =>
        BcryptCost(BcryptPrefix + hash) is null ? null : BcryptPrefix + hash;

    /// <summary>What an imported hash is, in the words an operator knows, for the line that reports it skipped.</summary>
    public static string Describe(string hash) => hash switch
    {
        _ when hash.StartsWith("$apr1$", StringComparison.Ordinal) => "MD5-crypt ($apr1$)",
        _ when hash.StartsWith("{SHA}", StringComparison.Ordinal) => "SHA-1 ({SHA})",
        _ when hash.StartsWith("$1$", StringComparison.Ordinal) => "MD5-crypt ($1$)",
        _ when hash.StartsWith("$5$", StringComparison.Ordinal) => "SHA-256-crypt ($5$)",
        _ when hash.StartsWith("$6$", StringComparison.Ordinal) => "SHA-512-crypt ($6$)",
        _ when hash.StartsWith("$2", StringComparison.Ordinal) => "a damaged or unsupported bcrypt hash",
        _ when hash.Length == 13 => "DES crypt",
        _ when hash.Length == 0 => "an empty password",
        _ => "plain text or an unknown scheme",
    };
}
