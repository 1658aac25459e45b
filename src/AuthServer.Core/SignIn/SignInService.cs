using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using Microsoft.Extensions.Logging;

namespace AuthServer.Core.SignIn;

/// <summary>
/// Every sign-in, whatever door it comes through (/token, the admin API's Basic, the console), in
/// one order that the lockout depends on:
/// <list type="number">
/// <item>a password already verified passes at once: no lock holds back what is no longer a guess;</item>
/// <item>the lock is checked before any hashing, so a held-back guess costs no bcrypt;</item>
/// <item>the check; a full hashing queue is not a failure (nothing was checked) but counts against the source;</item>
/// <item>the lock is checked again: guesses that queued for their hash while a lock began are held back too;</item>
/// <item>a failure is counted (a lock it begins is stored before the answer), a success clears its count and makes its source familiar.</item>
/// </list>
/// High-entropy credentials skip the lock (they cannot be guessed) but their failures count against their source.
/// </summary>
public sealed class SignInService(
    CredentialChecker checker, SmartLockout lockout, FamiliarSources familiar, AuditWriter audit, TimeProvider time, ILogger<SignInService> log)
{
    public Task<SignInResult> SignInAsync(SignInAttempt attempt, CancellationToken ct) => attempt.Credential switch
    {
        NoCredential => Task.FromResult(SignInResult.Success(Principal.Anonymous)),
        PasswordCredential password => PasswordAsync(attempt, password, ct),
        _ => SecretAsync(attempt, ct),
    };

    private async Task<SignInResult> PasswordAsync(SignInAttempt attempt, PasswordCredential password, CancellationToken ct)
    {
        CachedUser? user;
        SignInResult? recognised;
        using (SignInTracing.Source.StartActivity(SignInTracing.Authenticate))
        {
            user = await checker.FindUserAsync(password, ct);
            recognised = checker.Recognise(user, password);
        }
        if (recognised is not null)
        {
            lockout.RecordSuccess(attempt);
            await familiar.RecordAsync(user!.Id, attempt.Source.Key, ct);
            return recognised;
        }

        // Only an account that exists can have familiar sources, and only after a correct password
        // from there: to a guesser at a new address, known and unknown names look the same.
        var isFamiliar = user is not null && await familiar.IsFamiliarAsync(user.Id, attempt.Source.Key, ct);
        if (await WaitAsync(attempt, isFamiliar, ct) is { } wait)
            return SignInResult.Locked(CredentialKind.Password, password.Account, wait);

        SignInResult result;
        using (SignInTracing.Source.StartActivity(SignInTracing.Authenticate))
            result = await checker.CheckPasswordAsync(password, user, attempt.Source, ct);
        // The identity source could not be reached: nothing was checked, nobody is counted.
        if (result.SourceUnavailableFor is not null) return result;
        if (result.Busy)
        {
            await AuditLocksAsync(attempt, await lockout.RecordBusyAsync(attempt));
            return result;
        }
        if (await WaitAsync(attempt, isFamiliar, ct) is { } imposed)
            return SignInResult.Locked(CredentialKind.Password, result.Account ?? password.Account, imposed);
        if (!result.Succeeded)
        {
            await AuditLocksAsync(attempt, await lockout.RecordFailureAsync(attempt, isFamiliar));
            return result;
        }
        lockout.RecordSuccess(attempt);
        // The principal's id, not the user read before: a directory user is provisioned by the check itself.
        await familiar.RecordAsync(result.Principal!.UserId!.Value, attempt.Source.Key, ct);
        return result;
    }

    private async ValueTask<TimeSpan?> WaitAsync(SignInAttempt attempt, bool isFamiliar, CancellationToken ct)
    {
        using var span = SignInTracing.Source.StartActivity(SignInTracing.Lockout);
        return await lockout.WaitAsync(attempt, isFamiliar, ct);
    }

    private async Task<SignInResult> SecretAsync(SignInAttempt attempt, CancellationToken ct)
    {
        SignInResult result;
        using (SignInTracing.Source.StartActivity(SignInTracing.Authenticate))
            result = await checker.CheckSecretAsync(attempt.Credential, ct);
        // An ID token whose issuer could not be reached was not checked: nobody is counted.
        if (!result.Succeeded && result.SourceUnavailableFor is null) await AuditLocksAsync(attempt, await lockout.RecordFailureAsync(attempt, familiar: false));
        return result;
    }

    private async Task AuditLocksAsync(SignInAttempt attempt, IReadOnlyList<ImposedLock> locks)
    {
        foreach (var imposed in locks)
        {
            log.LogWarning("Sign-in lock on {Subject}: {Reason} (last from {ClientIp})",
                LogText.Safe(imposed.Subject), imposed.Reason, attempt.Source.Display ?? "-");
            await audit.WriteAsync(new AuditEvent
            {
                At = time.GetUtcNow().UtcDateTime,
                Type = AuditEventTypes.LoginLockout,
                Outcome = AuditOutcome.Locked,
                Subject = AuditText.Subject(imposed.Subject),
                Reason = AuditText.Truncate(imposed.Reason, AuditText.MaxReasonLength),
                Service = attempt.Service,
                ClientAddress = attempt.Source.Display,
                UserAgent = AuditText.Client(attempt.UserAgent is { Length: > 0 } agent ? agent : null, AuditText.MaxUserAgentLength),
            });
        }
    }
}
