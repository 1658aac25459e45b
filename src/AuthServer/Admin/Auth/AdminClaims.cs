using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace AuthServer.Admin.Auth;

/// <summary>What the admin API knows of its caller after sign-in.</summary>
public static class AdminClaims
{
    /// <summary>"true" when the caller may use the API; anything else is a 403.</summary>
    public const string Admin = "authserver:admin";

    /// <summary>Why an authenticated caller may not use the API, for the 403's detail.</summary>
    public const string Refusal = "authserver:refusal";

    /// <summary>How the caller signed in: password, access-token or bearer.</summary>
    public const string Credential = "authserver:credential";

    public static AuthenticationTicket Ticket(string name, string credential, string? refusal, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name),
            new(Credential, credential),
            new(Admin, refusal is null ? "true" : "false"),
        };
        if (refusal is not null) claims.Add(new Claim(Refusal, refusal));
        return new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, scheme)), scheme);
    }
}
