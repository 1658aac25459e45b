using AuthServer.Core.Audit;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Audit;

public sealed class ShortRetentionFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Audit:RetentionDays"] = "30";
        settings["AuthServer:Audit:PruneInterval"] = "00:00:01";
    }
}

/// <summary>The server prunes events past the retention period on its own, periodically.</summary>
public class AuditRetentionTests(ShortRetentionFixture server) : IClassFixture<ShortRetentionFixture>
{
    [Fact]
    public async Task Events_older_than_the_retention_period_are_pruned_and_newer_ones_kept()
    {
        await server.UpdateDatabaseAsync(async db =>
        {
            db.AuditEvents.Add(new AuditEvent { At = DateTime.UtcNow.AddDays(-31), Type = "test.old", Outcome = AuditOutcome.Success, Subject = "retention" });
            db.AuditEvents.Add(new AuditEvent { At = DateTime.UtcNow.AddDays(-29), Type = "test.recent", Outcome = AuditOutcome.Success, Subject = "retention" });
            await db.SaveChangesAsync();
        });

        var left = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == "retention"), e => e.Count == 1);

        Assert.Equal("test.recent", Assert.Single(left).Type);
    }
}
