using System.Security.Cryptography;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>
/// Brings a database to a usable state: migrations applied, a key-encryption key that decrypts
/// the stored keys, one active signing key, and on an empty database the first administrator and
/// the seed rule. Each step refuses, with a message naming the remedy, rather than guess.
/// </summary>
public sealed class StartupInitializer(
    IServiceScopeFactory scopes, DataDirectory data, DatabaseFile database, IDatabaseStartup startup, IOptions<SigningOptions> signing,
    IOptions<BootstrapOptions> bootstrap, FirstAdminPassword firstPassword, ILogger<StartupInitializer> log)
{
    /// <summary>Creates the database when missing (0600 in a 0700 data directory) and applies the migrations it lacks.</summary>
    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthServerDbContext>();
        await using (await LockAsync(db, ct)) await MigrateLockedAsync(db, ct);
    }

    /// <summary>What an administrative command needs: a database that exists already, brought up to date.</summary>
    public async Task OpenExistingAsync(CancellationToken ct)
    {
        if (!database.Exists)
            throw new StartupException(
                $"no database in {data.Path} (looked for {database.Path}): run 'authserver serve' or 'authserver migrate' there first, " +
                "or point to the right data directory with --AuthServer:DataDirectory=DIR (or AuthServer__DataDirectory=DIR)");
        await InitializeAsync(ct);
    }

    /// <summary>
    /// Everything <c>serve</c> needs before it accepts requests. Under the provider's start-up lock,
    /// so replicas starting at once on one empty database migrate once and seed once.
    /// </summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AuthServerDbContext>();
        await using var held = await LockAsync(db, ct);
        await MigrateLockedAsync(db, ct);
        await CheckKeyEncryptionKeyAsync(services, ct);

        var key = await services.GetRequiredService<SigningKeyService>().EnsureActiveAsync(ct);
        if (key is not null) log.LogInformation("Created signing key {Kid} ({Algorithm})", key.Kid, key.Algorithm);

        var users = services.GetRequiredService<UserService>();
        if (await users.CountAsync(ct) > 0) return;

        var options = bootstrap.Value;
        var password = string.IsNullOrEmpty(options.AdminPassword) ? Secrets.GeneratePassword() : options.AdminPassword;
        await users.CreateAsync(options.AdminName, password, isAdmin: true, ct);
        await services.GetRequiredService<RuleService>().CreateAsync(RuleService.OwnNamespaceRule, ct);
        log.LogInformation("Created the first administrator {Admin} and the rule giving each user their own namespace", options.AdminName);
        if (string.IsNullOrEmpty(options.AdminPassword)) firstPassword.Hand(options.AdminName, password);
    }

    private async Task<IAsyncDisposable> LockAsync(AuthServerDbContext db, CancellationToken ct)
    {
        data.EnsureExists();
        if (database.Path is not null) DataDirectory.CreatePrivateFile(database.Path);
        return await startup.LockAsync(db, ct);
    }

    private async Task MigrateLockedAsync(AuthServerDbContext db, CancellationToken ct)
    {
        await RefuseNewerSchemaAsync(db, ct);
        await db.Database.MigrateAsync(ct);
        await startup.AfterMigrationAsync(db, ct);
    }

    /// <summary>
    /// A database without keys gets a new key-encryption key; one with keys must come with the key
    /// that decrypts them. A new one beside them would decrypt nothing, and every token request
    /// would fail.
    /// </summary>
    private async Task CheckKeyEncryptionKeyAsync(IServiceProvider services, CancellationToken ct)
    {
        var options = signing.Value;
        var source = KeyEncryptionKey.Source(options, data);
        var db = services.GetRequiredService<AuthServerDbContext>();
        var stored = await db.SigningKeys.AsNoTracking()
            .Where(k => k.State != SigningKeyState.Retired).Select(k => new { k.Kid, k.ProtectedPrivateKey, What = "signing key" }).ToListAsync(ct);
        stored.AddRange(await db.SigningCas.AsNoTracking()
            .Where(c => c.State != SigningKeyState.Retired).Select(c => new { c.Kid, c.ProtectedPrivateKey, What = "signing CA" }).ToListAsync(ct));
        if (!KeyEncryptionKey.Exists(options, data))
        {
            if (stored.Count > 0)
                throw new StartupException(
                    $"the database holds signing keys encrypted with a key-encryption key, but {source} does not exist " +
                    $"(and {KeyEncryptionKey.Setting} is unset): restore it from your backup; a new one would decrypt none of them");
            KeyEncryptionKey.CreateFile(options, data);
            log.LogInformation("Created the key-encryption key {Path} (mode 0600): back it up apart from the database", source);
        }
        KeyProtector protector;
        try
        {
            protector = services.GetRequiredService<KeyProtector>();
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException(e.Message);
        }
        foreach (var key in stored)
        {
            try
            {
                protector.Unprotect(key.ProtectedPrivateKey);
            }
            catch (CryptographicException)
            {
                throw new StartupException(
                    $"{source} does not decrypt {key.What} {key.Kid}: it is not the key-encryption key the stored keys were made with; " +
                    "restore the right one from your backup");
            }
        }
    }

    /// <summary>A database migrated by a newer version has columns this one does not write: refuse before anything fails halfway.</summary>
    private static async Task RefuseNewerSchemaAsync(AuthServerDbContext db, CancellationToken ct)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(ct)).Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
            throw new StartupException(
                $"the database was migrated by a newer AuthServer (migration {unknown[^1]} is unknown to this version): " +
                "run the newer version, or restore a backup taken before the upgrade");
    }
}
