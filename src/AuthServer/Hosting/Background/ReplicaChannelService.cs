using AuthServer.Core.Data;
using AuthServer.Core.SignIn;

namespace AuthServer.Hosting;

/// <summary>Runs the replicas' notice channel (PostgreSQL's LISTEN/NOTIFY; nothing on SQLite) and wires what listens to it.</summary>
public sealed class ReplicaChannelService(IReplicaChannel channel, SmartLockout lockout) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        channel.Subscribe(SmartLockout.ReplicaTopic, lockout.ApplyFromReplicas);
        return channel.RunAsync(stoppingToken);
    }
}
