using System.Globalization;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AuthServer.WebConsole;

/// <summary>
/// The console's cookie session: HttpOnly, SameSite=Strict, Secure whenever the request came over
/// TLS (directly or through a trusted proxy), scoped to <c>/ui</c>, ended after an idle timeout
/// and an absolute lifetime. Every request re-reads the user, so disabling a user, a new password
/// or a change of role ends their console sessions at once.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "Console";
    public const string UserPolicy = "ConsoleUser";
    public const string AdminPolicy = "ConsoleAdmin";
    public const string CookieName = "authserver_console";

    public static IServiceCollection AddConsoleAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(Scheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.Path = ConsoleRoutes.Prefix;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.LoginPath = ConsoleRoutes.SignIn;
                o.LogoutPath = ConsoleRoutes.SignOut;
                o.Events.OnValidatePrincipal = ValidateAsync;
                // A signed-in user without the right is answered 403 (with the console's page), not sent elsewhere.
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<IOptions<ConsoleOptions>, TimeProvider>((cookie, console, time) =>
            {
                cookie.ExpireTimeSpan = console.Value.IdleTimeout;
                cookie.TimeProvider = time;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(UserPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(ConsoleClaims.Admin, "true"));
        return services;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var lifetime = services.GetRequiredService<IOptions<ConsoleOptions>>().Value.AbsoluteLifetime;
        var principal = context.Principal!;
        var signedInAt = long.TryParse(principal.FindFirst(ConsoleClaims.SignedInAt)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        // The stamp changes with the password, disabling and the admin flag (UserService), so a
        // session never outlives the state it was granted for. (A bcrypt cost upgrade after a
        // sign-in changes it too: that user signs in once more.)
        var user = await services.GetRequiredService<UserCache>().FindAsync(Names.Normalize(principal.AccountName()), context.HttpContext.RequestAborted);
        if (user is null || user.IsDisabled || user.SecurityStamp != principal.FindFirst(ConsoleClaims.Stamp)?.Value
            || user.Principal.IsAdmin != principal.IsAdmin() || now - signedInAt > lifetime)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
