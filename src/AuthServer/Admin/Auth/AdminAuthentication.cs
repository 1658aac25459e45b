using Microsoft.AspNetCore.Authentication;

namespace AuthServer.Admin.Auth;

/// <summary>
/// ASP.NET Core authentication and authorization for the admin API: one policy scheme that sends
/// Bearer headers to the token handler and everything else to the Basic handler, and one policy
/// that needs an administrator. No credentials: 401 with both challenges. Valid credentials of a
/// non-administrator: 403.
/// </summary>
public static class AdminAuthentication
{
    public const string Scheme = "AdminApi";
    public const string BasicScheme = "AdminBasic";
    public const string BearerScheme = "AdminBearer";
    public const string Policy = "AdminApi";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddScoped<AdminSignInAudit>();
        services.AddAuthentication()
            .AddPolicyScheme(Scheme, "Admin API", o =>
            {
                o.ForwardDefaultSelector = http =>
                    http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? BearerScheme : BasicScheme;
                // One place answers 401 (with both challenges) and 403, whichever scheme signed in.
                o.ForwardChallenge = BasicScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, BasicAdminHandler>(BasicScheme, null)
            .AddScheme<AuthenticationSchemeOptions, BearerAdminHandler>(BearerScheme, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(AdminClaims.Admin, "true"));
        return services;
    }
}
