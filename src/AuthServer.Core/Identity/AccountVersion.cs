using System.Security.Cryptography;
using System.Text;

namespace AuthServer.Core.Identity;

/// <summary>
/// A short digest of a user's security stamp, carried in tokens that must end when the account
/// changes (the admin API's Bearer tokens): a new password, disabling or deleting the user makes a
/// new stamp, so the digest in an older token no longer matches. The stamp itself never leaves the server.
/// </summary>
public static class AccountVersion
{
    public const string IdClaim = "uid";
    public const string VersionClaim = "ver";

    public static string Of(string securityStamp) =>
        Secrets.Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(securityStamp)).AsSpan(0, 12));

    public static bool Matches(string? presented, string securityStamp) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(Of(securityStamp)));
}
