using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>
/// Brings a database to a usable state: migrations applied, one active signing key, and on an
/// empty database the first administrator and the seed rule.
/// </summary>
public sealed class StartupInitializer(IServiceScopeFactory scopes, DataDirectory data, IOptions<BootstrapOptions> bootstrap, ILogger<StartupInitializer> log)
{
    public async Task MigrateAsync(CancellationToken ct)
    {
        data.EnsureExists();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthServerDbContext>();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets token requests read while an admin change is being written.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    /// <summary>Everything <c>serve</c> needs before it accepts requests.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        await MigrateAsync(ct);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;

        var key = await services.GetRequiredService<SigningKeyService>().EnsureActiveAsync(ct);
        if (key is not null) log.LogInformation("Created signing key {Kid} ({Algorithm})", key.Kid, key.Algorithm);

        var users = services.GetRequiredService<UserService>();
        if (await users.CountAsync(ct) > 0) return;

        var options = bootstrap.Value;
        var password = string.IsNullOrEmpty(options.AdminPassword) ? Secrets.GeneratePassword() : options.AdminPassword;
        await users.CreateAsync(options.AdminName, password, isAdmin: true, ct);
        await services.GetRequiredService<RuleService>().CreateAsync(RuleService.OwnNamespaceRule, ct);
        log.LogInformation("Created the first administrator {Admin} and the rule giving each user their own namespace", options.AdminName);
        if (string.IsNullOrEmpty(options.AdminPassword))
        {
            // On the terminal, not in the log: log lines are kept and shipped, and never carry a
            // secret. stderr, so a command's own output (JSON for scripts) stays clean.
            Console.Error.WriteLine();
            Console.Error.WriteLine($"  First start: administrator '{options.AdminName}' created with password: {password}");
            Console.Error.WriteLine("  It is shown only this once. Change it with: authserver user passwd " + options.AdminName);
            Console.Error.WriteLine();
        }
    }
}
