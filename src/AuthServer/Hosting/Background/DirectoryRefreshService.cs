using AuthServer.Core.Ldap;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>Brings directory users' groups and standing in line with the directory every <see cref="LdapOptions.RefreshInterval"/>.</summary>
public sealed class DirectoryRefreshService(DirectoryRefresher refresher, IOptions<LdapOptions> options, TimeProvider time, ILogger<DirectoryRefreshService> log)
    : PeriodicService(time, log)
{
    protected override TimeSpan Interval => options.Value.RefreshInterval;

    protected override string Job => "Directory refresh";

    protected override Task RunOnceAsync(CancellationToken ct) => refresher.RefreshAllAsync(ct);
}
