using System.Text.Json;
using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using AuthServer.Core.Sso;
using AuthServer.WebConsole;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AuthServer.Sso;

/// <summary>
/// What happens when a provider sends a person back with a valid ID token (the OpenID Connect
/// handler checked its signature, issuer, audience, nonce, PKCE and times): their user is made or
/// updated (<see cref="SsoAccounts"/>), the attempt is audited either way, and the browser gets the
/// console's session, which holds the user's name and state, nothing of the provider's tokens.
/// </summary>
public sealed class SsoSignIn(SsoAccounts accounts, IOptions<OidcOptions> options, AuditWriter audit, TimeProvider time, ILogger<SsoSignIn> log)
{
    public const string RefusedParameter = "refused";
    public const string FailedParameter = "failed";

    public static Task TicketReceived(TicketReceivedContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<SsoSignIn>().AcceptAsync(context);

    public static Task RemoteFailure(RemoteFailureContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<SsoSignIn>().FailAsync(context);

    private async Task AcceptAsync(TicketReceivedContext context)
    {
        var provider = Provider(context.Scheme.Name);
        var identity = SsoIdentity.From(context.Principal!, provider);
        var http = context.HttpContext;
        var outcome = await accounts.SignInAsync(provider, identity, http.RequestAborted);
        await WriteAsync(http, provider, identity.Login ?? identity.Subject, outcome.Refusal, Details(provider, identity, outcome));
        if (outcome.User is not { } user)
        {
            log.LogWarning("SSO sign-in through {Provider} refused for {User}: {Reason}", provider.Name, LogText.Safe(identity.Login ?? "-"), outcome.Refusal);
            context.Response.Redirect(SignInPage(RefusedParameter, provider.Name));
            context.HandleResponse();
            return;
        }
        log.LogInformation("SSO sign-in through {Provider} as {User}", provider.Name, LogText.Safe(user.Name));
        context.Principal = ConsoleClaims.Create(user.Name, user.IsAdmin, user.SecurityStamp, time.GetUtcNow(), provider.Source);
        context.Properties!.IsPersistent = false;
    }

    /// <summary>The provider said no (the person cancelled), or the answer did not hold (state, nonce, signature): audited, and the person is told to try again.</summary>
    private async Task FailAsync(RemoteFailureContext context)
    {
        var provider = Provider(context.Scheme.Name);
        var reason = context.Failure?.Message ?? "sign-in did not complete";
        await WriteAsync(context.HttpContext, provider, null, "the provider's answer was refused: " + LogText.Safe(reason), null);
        log.LogWarning("SSO sign-in through {Provider} did not complete: {Reason}", provider.Name, LogText.Safe(reason));
        context.Response.Redirect(SignInPage(FailedParameter, provider.Name));
        context.HandleResponse();
    }

    private OidcProviderOptions Provider(string scheme) => options.Value.Providers.Single(p => p.Source == scheme);

    private static string SignInPage(string parameter, string provider) =>
        $"{ConsoleRoutes.SignIn}?{parameter}={Uri.EscapeDataString(provider)}";

    /// <summary>For the audit log: who the provider says this is and what that gave them here (never a token).</summary>
    private static string Details(OidcProviderOptions provider, SsoIdentity identity, SsoProvision outcome) => JsonSerializer.Serialize(new
    {
        provider = provider.Name,
        subject = identity.Subject,
        groups = outcome.Groups,
    });

    private ValueTask WriteAsync(HttpContext http, OidcProviderOptions provider, string? account, string? refusal, string? details) =>
        audit.WriteAsync(new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Type = AuditEventTypes.SsoSignIn,
            Outcome = refusal is null ? AuditOutcome.Success : AuditOutcome.Unauthorized,
            Subject = account is null ? null : AuditText.Subject(account),
            Credential = CredentialKind.IdToken,
            Reason = AuditText.Truncate(refusal, AuditText.MaxReasonLength),
            Details = details,
            ClientAddress = ClientAddress.Display(http.Connection.RemoteIpAddress),
            UserAgent = AuditText.Client(http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null, AuditText.MaxUserAgentLength),
        });
}
