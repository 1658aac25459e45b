using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;

namespace AuthServer.Admin.Auth;

/// <summary>Records refused sign-ins to the admin API (bad credentials, or not an administrator), never a secret.</summary>
public sealed class AdminSignInAudit(AuditWriter writer, TimeProvider time)
{
    public ValueTask RefusedAsync(HttpContext http, string? account, CredentialKind credential, string reason) =>
        writer.WriteAsync(new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Type = AuditEventTypes.AdminSignIn,
            Outcome = AuditOutcome.Unauthorized,
            Subject = AuditText.Subject(account),
            Credential = credential,
            Reason = AuditText.Truncate($"{http.Request.Method} {http.Request.Path}: {reason}", AuditText.MaxReasonLength),
            ClientAddress = ClientAddress.Display(http.Connection.RemoteIpAddress),
            UserAgent = AuditText.Truncate(http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null, AuditText.MaxUserAgentLength),
        });
}
