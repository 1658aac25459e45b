using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using AuthServer.Core.Audit;
using AuthServer.Core.Caching;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using AuthServer.Core.SignIn.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Ldap;

/// <summary>
/// Users of an LDAP directory or Active Directory. A password no cache holds is checked by finding
/// the user with the service account and binding as them; a success provisions or refreshes the
/// local record (<see cref="DirectoryAccounts"/>), whose verified password the checker then caches
/// like a local one: the directory sees one search and one bind per login window, not per pull.
/// <para>
/// Directory down: nothing is decided, so the answer is "unavailable" (503 with Retry-After), not
/// a failure, and no lockout counts it. Users whose password is cached go on until it expires.
/// </para>
/// </summary>
public sealed class LdapIdentitySource(
    LdapDirectory directory, DirectoryAccounts accounts, IOptions<LdapOptions> options, TimeProvider time, ILogger<LdapIdentitySource> log)
    : IIdentitySource
{
    private readonly byte[] _flightKey = RandomNumberGenerator.GetBytes(32);

    // Cold checks under way, by a keyed hash of name and password: a CI job starting 30 pulls at
    // once with one cold password costs one search and one bind, not 30.
    private readonly SingleFlight<SourceCheck?> _checking = new();

    public string Name => IdentitySources.Ldap;

    public IdentitySourceHealth Health { get; } = new(time);

    public async Task ProbeAsync(CancellationToken ct)
    {
        try
        {
            await directory.ProbeAsync(ct);
            Health.Succeeded();
        }
        catch (DirectoryUnavailableException e)
        {
            Health.Failed(e.Message);
        }
    }

    public async Task<SourceCheck?> CheckPasswordAsync(PasswordCredential password, CachedUser? user, ClientSource source, CancellationToken ct)
    {
        // Another source's users (a later OpenID Connect provider) are not the directory's to check.
        if (user is not null && user.Source != IdentitySources.Ldap && user.Source != IdentitySources.Local) return null;
        // A name that could never be a user here is never sent to the directory.
        if (Names.Problem(password.Account, "user") is not null) return null;

        return await _checking.RunAsync(FlightKey(password), () => CheckAsync(password, user, ct));
    }

    private async Task<SourceCheck?> CheckAsync(PasswordCredential password, CachedUser? user, CancellationToken ct)
    {
        var mine = user?.Source == IdentitySources.Ldap;
        var login = Names.Normalize(password.Account);
        DirectoryEntry? entry;
        bool accepted;
        try
        {
            entry = await directory.FindUserAsync(login, ct);
            accepted = entry is not null && await directory.CheckPasswordAsync(entry.Dn, password.Password, ct);
            Health.Succeeded();
        }
        catch (DirectoryUnavailableException e)
        {
            Health.Failed(e.Message);
            log.LogWarning("Directory unreachable while signing in {User}: {Reason}", LogText.Safe(password.Account), e.Message);
            // A local account the directory might have shadowed signs in locally meanwhile; anyone else waits.
            if (user is not null && !mine) return null;
            return new(SignInResult.Unavailable(CredentialKind.Password, user?.Name ?? password.Account, "directory unavailable", options.Value.RetryAfter));
        }

        if (entry is null)
        {
            if (!mine) return null;
            await accounts.DenyAsync(login, "no longer in the directory", ct);
            return new(SignInResult.Failure(CredentialKind.Password, user!.Name, "no longer in the directory"));
        }
        if (!accepted) return new(SignInResult.Failure(CredentialKind.Password, user?.Name ?? entry.Login, "wrong password"));

        if (accounts.Refusal(entry) is { } refusal)
        {
            if (mine) await accounts.DenyAsync(login, refusal, ct);
            return new(SignInResult.Failure(CredentialKind.Password, user?.Name ?? entry.Login, refusal));
        }
        // Names the directory holds but this server cannot (a character it refuses) never sign in.
        if (!string.Equals(Names.Normalize(entry.Login), login, StringComparison.Ordinal) || Names.Problem(entry.Login, "user") is not null)
            return new(SignInResult.Failure(CredentialKind.Password, password.Account, "the directory's login name does not match"));

        var saved = new CachedUser(await accounts.ProvisionAsync(entry, ct));
        // Checked after the bind, so an account disabled here costs and answers like a wrong password.
        if (saved.IsDisabled) return new(SignInResult.Failure(CredentialKind.Password, saved.Name, "user disabled"));
        return new(SignInResult.Success(saved.Principal), saved);
    }

    private string FlightKey(PasswordCredential password)
    {
        var bytes = Encoding.UTF8.GetBytes(Names.Normalize(password.Account) + "\0" + password.Password);
        try
        {
            return Convert.ToBase64String(HMACSHA256.HashData(_flightKey, bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
