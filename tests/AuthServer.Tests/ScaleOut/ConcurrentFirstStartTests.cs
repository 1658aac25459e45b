using System.Security.Cryptography;
using AuthServer.Core.Data;
using AuthServer.Core.Signing;
using AuthServer.Hosting;
using AuthServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.ScaleOut;

/// <summary>Replicas that start at the same moment on one empty PostgreSQL database.</summary>
public sealed class ConcurrentFirstStartTests
{
    private const int Replicas = 4;

    [Fact]
    public async Task Replicas_starting_at_once_on_an_empty_database_migrate_once_and_make_one_signing_key_and_one_administrator()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var connection = cluster.ConnectionString(PostgresCluster.NewDatabaseName("firststart"));
        var kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var directories = Enumerable.Range(0, Replicas).Select(_ => TempDirectory.Create("authserver-replica")).ToList();
        var apps = directories.Select(dir =>
        {
            var settings = AuthServerFixture.BaseSettings(dir);
            settings["AuthServer:Database:Provider"] = "postgresql";
            settings["AuthServer:Database:ConnectionString"] = connection;
            settings[KeyEncryptionKey.Setting] = kek;
            return AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(settings));
        }).ToList();
        try
        {
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var starts = apps.Select(app => Task.Run(async () =>
            {
                await go.Task;
                await app.Services.GetRequiredService<StartupInitializer>().InitializeAsync(CancellationToken.None);
            })).ToList();
            go.SetResult();
            await Task.WhenAll(starts);

            await using var scope = apps[0].Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AuthServerDbContext>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Single(await db.SigningKeys.AsNoTracking().ToListAsync());
            var admin = Assert.Single(await db.Users.AsNoTracking().ToListAsync());
            Assert.True(admin.IsAdmin);
            Assert.Single(await db.AccessRules.AsNoTracking().ToListAsync());
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
            foreach (var dir in directories) TempDirectory.Delete(dir);
        }
    }
}
