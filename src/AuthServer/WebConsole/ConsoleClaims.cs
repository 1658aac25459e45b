using System.Security.Claims;

namespace AuthServer.WebConsole;

/// <summary>What the console's cookie holds: who signed in, when, and the user state it was issued for.</summary>
public static class ConsoleClaims
{
    public const string Admin = "authserver:console-admin";

    /// <summary>The user's security stamp at sign-in: a new password, disabling or a role change ends the session.</summary>
    public const string Stamp = "authserver:stamp";

    /// <summary>Sign-in time (Unix seconds), for the absolute lifetime.</summary>
    public const string SignedInAt = "authserver:signed-in-at";

    /// <summary>How the user signed in: <c>password</c> now, a provider's name once SSO is there.</summary>
    public const string Method = "authserver:method";

    public static ClaimsPrincipal Create(string name, bool isAdmin, string stamp, DateTimeOffset signedInAt, string method) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, name),
            new Claim(Admin, isAdmin ? "true" : "false"),
            new Claim(Stamp, stamp),
            new Claim(SignedInAt, signedInAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(Method, method),
        ], ConsoleAuthentication.Scheme));

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(Admin, "true");

    public static string AccountName(this ClaimsPrincipal user) => user.Identity?.Name ?? "";
}
