using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using Microsoft.AspNetCore.Authentication;

namespace AuthServer.WebConsole;

/// <summary>The outcome of a console sign-in; <see cref="Message"/> is what the person is told.</summary>
public sealed record ConsoleSignInResult(bool Succeeded, string? Message, TimeSpan? RetryAfter = null);

/// <summary>
/// Local-password sign-in to the console through the token endpoint's own stages: the same
/// lockout (checked before any hashing, failures counted per account and address) and the same
/// credential checker, so a password is judged exactly as at /token. Only a user's password
/// opens the console: access tokens and robot secrets are for clients, not people.
/// Every attempt is audited (<c>console.sign-in</c>); the page says only "wrong name or password".
/// </summary>
public sealed class ConsoleSignIn(SignInService signIns, UserCache users, AuditWriter audit, TimeProvider time)
{
    public const string Refused = "Wrong user name or password.";
    public const string PasswordMethod = "password";

    public async Task<ConsoleSignInResult> SignInAsync(HttpContext http, string? name, string? password, CancellationToken ct)
    {
        var (result, user) = await CheckAsync(http, name, password, "", ct);
        if (user is null) return result;
        await IssueAsync(http, user.Name, user.Principal.IsAdmin, user.SecurityStamp);
        await WriteAsync(http, AuditOutcome.Success, user.Name, CredentialKind.Password, null);
        return result;
    }

    /// <summary>Checks the signed-in user's current password (before a change), with the same lockout and audit as a sign-in.</summary>
    public async Task<ConsoleSignInResult> VerifyPasswordAsync(HttpContext http, string? password, CancellationToken ct) =>
        (await CheckAsync(http, http.User.AccountName(), password, "password change: ", ct)).Result;

    /// <summary>A fresh cookie for the user's new state (after their own password change), so this session goes on.</summary>
    public Task RenewAsync(HttpContext http, User user) => IssueAsync(http, user.Name, user.IsAdmin, user.SecurityStamp);

    private Task IssueAsync(HttpContext http, string name, bool isAdmin, string stamp) =>
        http.SignInAsync(ConsoleAuthentication.Scheme, ConsoleClaims.Create(name, isAdmin, stamp, time.GetUtcNow(), PasswordMethod),
            new AuthenticationProperties { IsPersistent = false });

    private async Task<(ConsoleSignInResult Result, CachedUser? User)> CheckAsync(
        HttpContext http, string? name, string? password, string reasonPrefix, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        password ??= "";
        if (name.Length is 0 or > 256 || password.Length is 0 or > PasswordOptions.MaximumLength)
            return (new ConsoleSignInResult(false, "Enter your user name and password."), null);

        // Counted exactly like a password grant at /token.
        var credential = Credential.From(name, password);
        if (credential is not PasswordCredential)
        {
            // Refused without checking the secret: only a user's password signs in to the console.
            await WriteAsync(http, AuditOutcome.Unauthorized, name, credential.Kind, reasonPrefix + "only a user's password signs in to the console");
            return (new ConsoleSignInResult(false, Refused), null);
        }
        var attempt = new SignInAttempt(credential, ClientSource.Of(http.Connection.RemoteIpAddress))
        {
            Service = "console",
            UserAgent = http.Request.Headers.UserAgent.ToString(),
        };
        var result = await signIns.SignInAsync(attempt, ct);
        if (result.LockedFor is { } wait)
        {
            await WriteAsync(http, AuditOutcome.Locked, name, credential.Kind, reasonPrefix + "too many failed sign-ins");
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return (new ConsoleSignInResult(false, $"Too many failed sign-ins: try again in {seconds} seconds.", wait), null);
        }
        if (result.SourceUnavailableFor is { } retry)
        {
            await WriteAsync(http, AuditOutcome.Busy, name, credential.Kind, reasonPrefix + result.FailureReason);
            return (new ConsoleSignInResult(false, "Sign-in is unavailable for the moment: try again later.", retry), null);
        }
        if (result.Busy)
        {
            await WriteAsync(http, AuditOutcome.Busy, name, credential.Kind, reasonPrefix + result.FailureReason);
            return (new ConsoleSignInResult(false, "The server is busy: try again in a moment.", TimeSpan.FromSeconds(1)), null);
        }
        var user = result.Succeeded ? await users.FindAsync(result.Principal!.NormalizedName!, ct) : null;
        if (user is null)
        {
            // A success whose user was deleted a moment later is refused like any failure.
            await WriteAsync(http, AuditOutcome.Unauthorized, result.Account ?? name, credential.Kind, reasonPrefix + (result.FailureReason ?? "unknown user"));
            return (new ConsoleSignInResult(false, Refused), null);
        }
        return (new ConsoleSignInResult(true, null), user);
    }

    public async Task SignOutAsync(HttpContext http)
    {
        var name = http.User.AccountName();
        await http.SignOutAsync(ConsoleAuthentication.Scheme);
        await audit.WriteAsync(new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Type = AuditEventTypes.ConsoleSignOut,
            Outcome = AuditOutcome.Success,
            Subject = AuditText.Subject(name),
            Actor = ConsoleActor.Prefix + name,
            ClientAddress = ClientAddress.Display(http.Connection.RemoteIpAddress),
        });
    }

    private ValueTask WriteAsync(HttpContext http, AuditOutcome outcome, string account, CredentialKind kind, string? reason) =>
        audit.WriteAsync(new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Type = AuditEventTypes.ConsoleSignIn,
            Outcome = outcome,
            Subject = AuditText.Subject(account),
            Credential = kind,
            Reason = AuditText.Truncate(reason, AuditText.MaxReasonLength),
            ClientAddress = ClientAddress.Display(http.Connection.RemoteIpAddress),
            UserAgent = AuditText.Client(http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null, AuditText.MaxUserAgentLength),
        });
}
