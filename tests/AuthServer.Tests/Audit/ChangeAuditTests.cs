using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Audit;

/// <summary>Changes are recorded in the same transaction as the change, with the actor of the scope.</summary>
public abstract class ChangeAuditTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private Task AsAsync(string actor, Func<IServiceProvider, Task> change) => server.WithServiceAsync(async sp =>
    {
        sp.GetRequiredService<AuditActor>().Set(actor);
        await change(sp);
    });

    [Fact]
    public async Task Each_change_names_its_actor_and_what_changed()
    {
        var name = FixtureExtensions.UniqueName("gus");
        await AsAsync("admin:alice", sp => sp.GetRequiredService<UserService>().CreateAsync(name, "a-long-password", false, CancellationToken.None));
        await AsAsync("admin:alice", sp => sp.GetRequiredService<UserService>().SetDisabledAsync(name, true, CancellationToken.None));
        await AsAsync("admin:alice", sp => sp.GetRequiredService<UserService>().SetPasswordAsync(name, "another-long-password", CancellationToken.None));

        var events = await server.AuditEventsAsync(q => q.Where(e => e.Subject == name));
        Assert.Equal([AuditEventTypes.UserCreate, AuditEventTypes.UserDisable, AuditEventTypes.UserPassword], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(("admin:alice", AuditOutcome.Success), (e.Actor, e.Outcome)));
        Assert.Equal("""{"before":{"disabled":false},"after":{"disabled":true}}""", events[1].Details);
        Assert.DoesNotContain("another-long-password", string.Join(" ", events.Select(e => e.Summary())));
    }

    [Fact]
    public async Task Rule_changes_keep_the_rule_before_and_after()
    {
        var rule = await server.AddRuleAsync(new RuleSpec(RuleEffect.Allow, "authenticated", "repository", "shared/**", ["pull"]));
        await server.WithServiceAsync(sp => sp.GetRequiredService<RuleService>().UpdateAsync(rule.Id,
            new RuleSpec(RuleEffect.Deny, "authenticated", "repository", "shared/**", ["push"]), CancellationToken.None));
        await server.WithServiceAsync(sp => sp.GetRequiredService<RuleService>().DeleteAsync(rule.Id, CancellationToken.None));

        var events = await server.AuditEventsAsync(q => q.Where(e => e.Subject == $"rule:{rule.Id}"));
        Assert.Equal([AuditEventTypes.RuleCreate, AuditEventTypes.RuleUpdate, AuditEventTypes.RuleDelete], events.Select(e => e.Type));
        Assert.Contains("\"before\":{\"effect\":\"allow\"", events[1].Details);
        Assert.Contains("\"after\":{\"effect\":\"deny\"", events[1].Details);
        Assert.Equal("system", events[0].Actor);
    }

    [Fact]
    public async Task A_refused_change_leaves_no_event()
    {
        var before = (await server.AuditEventsAsync()).Count;
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ConflictException>(() =>
            server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(AuthServerFixture.AdminName, "a-long-password", false, CancellationToken.None)));
        Assert.Equal(before, (await server.AuditEventsAsync()).Count);
    }

    [Fact]
    public async Task The_audit_query_filters_by_subject_type_outcome_and_time()
    {
        var (user, _) = await server.NewUserAsync("hal");
        var token = await server.NewAccessTokenAsync(user, "ci");
        await server.Http.GetTokenAsync($"service={AuthServerFixture.Service}", AuthServerFixture.Basic(user, token));
        await server.WaitForAuditAsync(user, 3);

        var query = (AuditFilter f) => server.WithServiceAsync(sp => sp.GetRequiredService<AuditQuery>().ListAsync(f, CancellationToken.None));
        var all = await query(new AuditFilter(Subject: user.ToUpperInvariant()));
        Assert.Equal([AuditEventTypes.TokenRequest, AuditEventTypes.AccessTokenCreate, AuditEventTypes.UserCreate], all.Select(e => e.Type));
        Assert.Single(await query(new AuditFilter(Subject: user, Type: "access-token")));
        Assert.Single(await query(new AuditFilter(Subject: user, Outcome: AuditOutcome.Granted, Service: AuthServerFixture.Service)));
        Assert.Empty(await query(new AuditFilter(Subject: user, To: DateTime.UtcNow.AddHours(-1))));
        Assert.Equal(2, (await query(new AuditFilter(Subject: user, BeforeId: all[0].Id))).Count);
        Assert.Single(await query(new AuditFilter(Subject: user, Limit: 1)));
        await Assert.ThrowsAsync<AuthServer.Core.Errors.ValidationFailedException>(() => query(new AuditFilter(Limit: 0)));
    }
}

public sealed class ChangeAuditTests(AuthServerFixture server) : ChangeAuditTests<AuthServerFixture>(server);

public sealed class ChangeAuditTestsOnPostgres(AuthServerOnPostgres server) : ChangeAuditTests<AuthServerOnPostgres>(server);
