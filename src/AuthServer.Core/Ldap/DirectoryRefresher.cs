using AuthServer.Core.Identity;
using Microsoft.Extensions.Logging;

namespace AuthServer.Core.Ldap;

/// <summary>
/// Reads every provisioned directory user again with the service account (no password needed):
/// groups follow the directory, and a user gone from it, disabled there or out of the required
/// group is refused (<see cref="DirectoryAccounts.DenyAsync"/>): their cached password, access
/// tokens, robots and refresh sessions stop working. Runs every <see cref="LdapOptions.RefreshInterval"/>.
/// </summary>
public sealed class DirectoryRefresher(LdapDirectory directory, DirectoryAccounts accounts, LdapIdentitySource source, ILogger<DirectoryRefresher> log)
{
    public async Task<DirectoryRefresh> RefreshAllAsync(CancellationToken ct)
    {
        var refreshed = 0;
        var refused = 0;
        foreach (var name in await accounts.ActiveAsync(ct))
        {
            DirectoryEntry? entry;
            try
            {
                entry = await directory.FindUserAsync(Names.Normalize(name), ct);
                source.Health.Succeeded();
            }
            catch (DirectoryUnavailableException e)
            {
                // Nothing is decided while the directory is away: users keep what they had.
                source.Health.Failed(e.Message);
                log.LogWarning("Directory refresh stopped, the directory is unreachable: {Reason}", e.Message);
                return new DirectoryRefresh(refreshed, refused, Complete: false, e.Message);
            }
            var refusal = entry is null ? "no longer in the directory" : accounts.Refusal(entry);
            if (refusal is not null)
            {
                await accounts.DenyAsync(Names.Normalize(name), refusal, ct);
                refused++;
                continue;
            }
            await accounts.ProvisionAsync(entry!, ct);
            refreshed++;
        }
        if (refused > 0) log.LogInformation("Directory refresh: {Refreshed} users current, {Refused} refused", refreshed, refused);
        else if (log.IsEnabled(LogLevel.Debug)) log.LogDebug("Directory refresh: {Refreshed} users current", refreshed);
        return new DirectoryRefresh(refreshed, refused, Complete: true);
    }
}

/// <param name="Error">Why the refresh stopped early: the directory's own words, for the operator.</param>
public sealed record DirectoryRefresh(int Refreshed, int Refused, bool Complete, string? Error = null);
