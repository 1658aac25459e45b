using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;

namespace AuthServer.Admin.Auth;

/// <summary>Records refused sign-ins to the admin API (bad credentials, or not an administrator), never a secret.</summary>
public sealed class AdminSignInAudit(AuditWriter writer, TimeProvider time)
{
    /// <summary>A signed-in caller the API refuses (403): the credential kind is read back from the ticket.</summary>
    public ValueTask ForbiddenAsync(HttpContext http, string reason) =>
        RefusedAsync(http, http.User.Identity?.Name, http.User.FindFirst(AdminClaims.Credential)?.Value switch
        {
            "password" => CredentialKind.Password,
            "access-token" => CredentialKind.AccessToken,
            "robot-secret" => CredentialKind.RobotSecret,
            _ => CredentialKind.None,
        }, reason);

    public ValueTask RefusedAsync(HttpContext http, string? account, CredentialKind credential, string reason) =>
        writer.WriteAsync(new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Type = AuditEventTypes.AdminSignIn,
            Outcome = AuditOutcome.Unauthorized,
            Subject = AuditText.Subject(account),
            Credential = credential,
            Reason = AuditText.Client($"{http.Request.Method} {http.Request.Path}: {reason}", AuditText.MaxReasonLength),
            ClientAddress = ClientAddress.Display(http.Connection.RemoteIpAddress),
            UserAgent = AuditText.Client(http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null, AuditText.MaxUserAgentLength),
        });
}
