using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AuthServer.Admin.Auth;

/// <summary>
/// Basic sign-in to the admin API through the token endpoint's own stages: the same lockout
/// (checked before any hashing, failures counted per account and address) and the same
/// credential checker, so an administrator's password or access token is judged exactly as at
/// /token. A password makes an administrator an API caller; an access token must also carry the
/// <c>admin:api:*</c> scope, so a token made for docker never becomes an API key by accident.
/// </summary>
public sealed class BasicAdminHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SignInService signIns, AdminSignInAudit audit, IOptions<AdminOptions> admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        if (Decode(header.Parameter) is not var (user, secret))
        {
            await audit.RefusedAsync(Context, null, CredentialKind.None, "malformed Basic credentials");
            return AuthenticateResult.Fail("malformed Basic credentials");
        }

        // Counted exactly like a token request for the admin audience.
        var attempt = new SignInAttempt(Credential.From(user, secret), ClientSource.Of(Context.Connection.RemoteIpAddress))
        {
            Service = admin.Value.Audience,
            UserAgent = Request.Headers.UserAgent.ToString(),
        };
        var result = await signIns.SignInAsync(attempt, Context.RequestAborted);
        if (result.LockedFor is { } wait)
        {
            Context.Items[AdminChallenge.LockedOutItem] = wait;
            await audit.RefusedAsync(Context, user, attempt.Credential.Kind, "too many failed sign-ins");
            return AuthenticateResult.Fail("locked out");
        }
        if (result.SourceUnavailableFor is { } retry || result.Busy)
        {
            // Not decided (the directory is unreachable, or the hashing queue full): 503, as /token answers.
            Context.Items[AdminChallenge.UnavailableItem] = result.SourceUnavailableFor ?? BusyRetryAfter;
            await audit.RefusedAsync(Context, result.Account ?? user, result.Credential, result.FailureReason!);
            return AuthenticateResult.Fail("not decided");
        }
        if (!result.Succeeded)
        {
            await audit.RefusedAsync(Context, result.Account ?? user, result.Credential, result.FailureReason!);
            return AuthenticateResult.Fail("invalid credentials");
        }

        var principal = result.Principal!;
        var (credential, refusal) = principal.Credential switch
        {
            _ when principal.Kind != PrincipalKind.User => ("robot-secret", "robots may not use the admin API"),
            _ when !principal.IsAdmin => (Label(principal.Credential), $"user '{principal.Name}' is not an administrator"),
            CredentialKind.AccessToken when principal.Limits?.AllowsEverything(AdminScope.ResourceType, [AdminScope.ResourceName], principal.PatternUser) != true =>
                ("access-token", $"the access token lacks the {AdminScope.Text} scope the admin API needs"),
            _ => (Label(principal.Credential), null),
        };
        return AuthenticateResult.Success(AdminClaims.Ticket(principal.Name, credential, refusal, Scheme.Name));
    }

    private static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => AdminChallenge.UnauthorizedAsync(Context);

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var reason = Context.User.FindFirst(AdminClaims.Refusal)?.Value ?? "not an administrator";
        await audit.ForbiddenAsync(Context, reason);
        await AdminChallenge.ForbiddenAsync(Context);
    }

    private static string Label(CredentialKind kind) => kind == CredentialKind.AccessToken ? "access-token" : "password";

    private static (string User, string Secret)? Decode(string? parameter)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(parameter ?? ""));
            var colon = text.IndexOf(':');
            if (colon <= 0 || colon > 256 || text.Length - colon - 1 > PasswordOptions.MaximumLength) return null;
            return (text[..colon], text[(colon + 1)..]);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }
}
