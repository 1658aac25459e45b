using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;

namespace AuthServer.Tokens;

/// <summary>
/// The lockout stage, around authentication: refuses a locked account or address before any
/// hashing, counts failures, and records each lock it imposes.
/// <para>
/// The account count guards passwords only. Robot secrets, access tokens and refresh tokens
/// carry 256 random bits, so guessing one is hopeless, while locking one by its (often public)
/// login name would hand anyone a way to stop a CI pipeline; their failures still count against
/// the address, and a locked address is refused whatever it presents.
/// </para>
/// </summary>
public sealed class LockoutGate(LoginThrottle throttle, AuditWriter audit, TimeProvider time, ILogger<LockoutGate> log)
{
    public ValueTask<TimeSpan?> CheckAsync(TokenRequest request, CancellationToken ct)
    {
        var (account, address) = Keys(request);
        return account is null && address is null ? ValueTask.FromResult<TimeSpan?>(null) : throttle.CheckAsync(account, address, ct);
    }

    public async Task RecordFailureAsync(TokenRequest request)
    {
        var (account, address) = Keys(request);
        foreach (var lockout in throttle.RecordFailure(account, address))
        {
            var seconds = (int)Math.Ceiling(lockout.Duration.TotalSeconds);
            log.LogWarning("Locked out {Subject} for {Seconds} s after {Failures} failed sign-ins (last from {ClientIp})",
                lockout.Subject, seconds, lockout.Failures, request.ClientIp);
            await audit.WriteAsync(new AuditEvent
            {
                At = time.GetUtcNow().UtcDateTime,
                Type = AuditEventTypes.LoginLockout,
                Outcome = AuditOutcome.Locked,
                Subject = AuditText.Subject(lockout.Subject),
                Reason = $"{lockout.Failures} failed sign-ins: locked for {seconds} s",
                Service = request.Service,
                ClientAddress = request.ClientIp,
                UserAgent = AuditText.Truncate(request.UserAgent, AuditText.MaxUserAgentLength),
            });
        }
    }

    public void RecordSuccess(TokenRequest request) => throttle.RecordSuccess(Keys(request).Account);

    private static (string? Account, string? Address) Keys(TokenRequest request)
    {
        if (request.Grant == GrantKind.Anonymous) return (null, null);
        var address = request.ClientKey is { } key ? LoginThrottle.AddressKey(key) : null;
        var isPassword = request.Grant == GrantKind.Password
                         && CredentialChecker.KindOf(request.Username!, request.Password!) == CredentialKind.Password;
        return (isPassword ? LoginThrottle.AccountKey(request.Username!) : null, address);
    }
}
