using AuthServer.Core.Data;
using AuthServer.Core.SignIn;

namespace AuthServer.Hosting;

/// <summary>
/// Runs the replicas' notice channel (PostgreSQL's LISTEN/NOTIFY; nothing on SQLite) and wires what
/// listens to it, and the lockout's background writes (locks begun from the others' counts, locks a
/// correct password cleared).
/// </summary>
public sealed class ReplicaChannelService(IReplicaChannel channel, SmartLockout lockout, LockoutStore locks) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        channel.Subscribe(SmartLockout.ReplicaTopic, lockout.ApplyFromReplicas);
        return Task.WhenAll(channel.RunAsync(stoppingToken), locks.RunAsync(stoppingToken));
    }
}
