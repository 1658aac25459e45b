using System.Security.Cryptography;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.ScaleOut;

/// <summary>
/// Two `authserver serve` processes on one PostgreSQL database, as behind a load balancer. The
/// revision poll is set to a minute, so whatever one replica sees of the other's changes within
/// the tests' few seconds came through LISTEN/NOTIFY.
/// </summary>
public sealed class ReplicaPair : IAsyncLifetime
{
    public Dictionary<string, string?> Settings { get; } = new();
    public ServerProcess First { get; private set; } = null!;
    public ServerProcess Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var cluster = await PostgresCluster.SharedAsync();
        Settings["AuthServer:Database:Provider"] = "PostgreSQL";
        Settings["AuthServer:Database:ConnectionString"] = cluster.ConnectionString(PostgresCluster.NewDatabaseName("replicas"));
        Settings["AuthServer:Signing:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Settings["AuthServer:Cache:RevisionCheckInterval"] = "00:01:00";
        Settings["AuthServer:Lockout:AddressThreshold"] = "100000";
        Settings["Logging:LogLevel:Default"] = "Warning";
        First = await ServerProcess.StartAsync(AuthServerFixture.ProcessSettings(Settings));
        Second = await ServerProcess.StartAsync(AuthServerFixture.ProcessSettings(Settings));
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}
