using System.Linq.Expressions;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Infrastructure;

public static class FixtureExtensions
{
    /// <summary>A new user with a unique name, so tests sharing a server never collide.</summary>
    public static async Task<(string Name, string Password)> NewUserAsync(this AuthServerFixture server, string prefix = "user", bool admin = false)
    {
        var name = UniqueName(prefix);
        var password = $"pw-{Guid.NewGuid():N}";
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(name, password, admin, CancellationToken.None));
        return (name, password);
    }

    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 12, 64)];

    public static Task<AccessRule> AddRuleAsync(this AuthServerFixture server, RuleSpec spec) =>
        server.WithServiceAsync(sp => sp.GetRequiredService<RuleService>().CreateAsync(spec, CancellationToken.None));

    /// <summary>A robot with a unique name; returns its login name and secret.</summary>
    public static async Task<(string Login, string Secret)> NewRobotAsync(
        this AuthServerFixture server, string? owner = null, IReadOnlyCollection<string>? scopes = null, DateTime? expiresAt = null)
    {
        var created = await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>()
            .CreateAsync(new RobotSpec(UniqueName("bot"), owner, null, expiresAt, scopes), CancellationToken.None));
        return (created.Robot.Name, created.Secret);
    }

    public static async Task<string> NewAccessTokenAsync(
        this AuthServerFixture server, string user, string name = "ci", IReadOnlyCollection<string>? scopes = null, DateTime? expiresAt = null)
    {
        var created = await server.WithServiceAsync(sp => sp.GetRequiredService<AccessTokenService>()
            .CreateAsync(user, new AccessTokenSpec(name, expiresAt, scopes), CancellationToken.None));
        return created.Secret;
    }

    /// <summary>Reads the audit log straight from the database, as an operator's query would.</summary>
    public static Task<List<AuditEvent>> AuditEventsAsync(this AuthServerFixture server, Func<IQueryable<AuditEvent>, IQueryable<AuditEvent>>? filter = null) =>
        server.WithServiceAsync(async sp =>
        {
            var query = sp.GetRequiredService<AuthServerDbContext>().AuditEvents.AsNoTracking();
            return await (filter is null ? query : filter(query)).OrderBy(e => e.Id).ToListAsync();
        });

    /// <summary>
    /// The events that satisfy <paramref name="done"/>: the writer works in the background, so a
    /// request's event is in the database shortly after its answer, not at once.
    /// </summary>
    public static async Task<List<AuditEvent>> WaitForAuditAsync(
        this AuthServerFixture server, Func<IQueryable<AuditEvent>, IQueryable<AuditEvent>> filter, Func<List<AuditEvent>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var events = await server.AuditEventsAsync(filter);
            if (done(events) || DateTime.UtcNow > deadline) return events;
            await Task.Delay(50);
        }
    }

    /// <summary>Events about one subject, once at least <paramref name="count"/> are there.</summary>
    public static Task<List<AuditEvent>> WaitForAuditAsync(this AuthServerFixture server, string subject, int count = 1)
    {
        var normalized = subject.ToLowerInvariant();
        return server.WaitForAuditAsync(q => q.Where(e => e.Subject == normalized), events => events.Count >= count);
    }

    /// <summary>
    /// Changes rows as any code of the server would, through SaveChanges: the caches follow by
    /// themselves (ExecuteUpdate on a cached entity is refused, see CacheDependencies).
    /// </summary>
    public static Task ChangeAsync<T>(this AuthServerFixture server, Expression<Func<T, bool>> which, Action<T> change) where T : class =>
        server.UpdateDatabaseAsync(async db =>
        {
            foreach (var row in await db.Set<T>().Where(which).ToListAsync()) change(row);
            await db.SaveChangesAsync();
        });

    public static Task UpdateDatabaseAsync(this AuthServerFixture server, Func<AuthServerDbContext, Task> change) =>
        server.WithServiceAsync(sp => change(sp.GetRequiredService<AuthServerDbContext>()));
}
