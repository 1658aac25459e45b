using AuthServer.Admin;
using AuthServer.Core;
using AuthServer.Core.Audit;
using AuthServer.Core.Caching;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Policy.Explain;
using AuthServer.Core.Policy.Lint;
using AuthServer.Core.SignIn;
using AuthServer.Core.Signing;
using AuthServer.Sso;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>What the server and the CLI share: settings, database, domain services and key material.</summary>
public static class CoreRegistration
{
    public static IServiceCollection AddAuthServerCore(this IServiceCollection services, IConfiguration configuration)
    {
        var data = new DataDirectory(Path.GetFullPath(configuration[DataDirectory.Setting] ?? DataDirectory.Default));
        services.AddSingleton(data);

        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section))
            // The admin API's audience is a service like a registry's, so /token issues its Bearer
            // tokens and rules may name it; the validator keeps it apart from the registries.
            .PostConfigure<IOptions<AdminOptions>>((tokens, admin) => tokens.Services.Add(new ServiceOptions
            {
                Name = admin.Value.Audience,
                TokenLifetimeSeconds = admin.Value.TokenLifetimeSeconds,
            }))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>();
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SigningOptions>, SigningOptionsValidator>();
        services.AddOptions<PasswordOptions>().Bind(configuration.GetSection(PasswordOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.HashingDemandHalfLife >= TimeSpan.Zero, $"{PasswordOptions.Section}:HashingDemandHalfLife must not be negative")
            .ValidateOnStart();
        services.AddOptions<RefreshSessionOptions>().Bind(configuration.GetSection(RefreshSessionOptions.Section))
            .Validate(o => o.AbsoluteLifetime >= TimeSpan.FromMinutes(1), $"{RefreshSessionOptions.Section}:AbsoluteLifetime must be at least one minute")
            .Validate(o => o.IdleTimeout >= TimeSpan.FromMinutes(1), $"{RefreshSessionOptions.Section}:IdleTimeout must be at least one minute")
            .Validate(o => o.MaxPerCredential >= 1, $"{RefreshSessionOptions.Section}:MaxPerCredential must be at least 1")
            .Validate(o => o.KeepEndedFor >= TimeSpan.Zero, $"{RefreshSessionOptions.Section}:KeepEndedFor must not be negative")
            .ValidateOnStart();
        services.AddOptions<LockoutOptions>().Bind(configuration.GetSection(LockoutOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.AccountLeak >= TimeSpan.FromSeconds(1), $"{LockoutOptions.Section}:AccountLeak must be at least one second")
            .Validate(o => o.AddressLeak >= TimeSpan.FromSeconds(1), $"{LockoutOptions.Section}:AddressLeak must be at least one second")
            .Validate(o => o.UnfamiliarLeak >= TimeSpan.FromSeconds(1), $"{LockoutOptions.Section}:UnfamiliarLeak must be at least one second")
            .Validate(o => o.FamiliarFor >= TimeSpan.Zero, $"{LockoutOptions.Section}:FamiliarFor must not be negative")
            .ValidateOnStart();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.EnqueueTimeout >= TimeSpan.Zero && o.EnqueueTimeout <= TimeSpan.FromMinutes(1), $"{AuditOptions.Section}:EnqueueTimeout must be between 0 and one minute")
            .Validate(o => o.PruneInterval >= TimeSpan.FromSeconds(1), $"{AuditOptions.Section}:PruneInterval must be at least one second")
            .Validate(o => o.BatchDelay >= TimeSpan.Zero && o.BatchDelay <= TimeSpan.FromSeconds(5), $"{AuditOptions.Section}:BatchDelay must be between 0 and 5 seconds")
            .Validate(o => o.SampleWindow >= TimeSpan.FromSeconds(1), $"{AuditOptions.Section}:SampleWindow must be at least one second")
            .ValidateOnStart();
        services.AddOptions<CredentialOptions>().Bind(configuration.GetSection(CredentialOptions.Section))
            .Validate(o => o.LastUsedFlushInterval >= TimeSpan.FromMilliseconds(100), $"{CredentialOptions.Section}:LastUsedFlushInterval must be at least 100 ms")
            .ValidateOnStart();
        services.AddOptions<CacheOptions>().Bind(configuration.GetSection(CacheOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.RevisionCheckInterval > TimeSpan.Zero, $"{CacheOptions.Section}:RevisionCheckInterval must be positive")
            .ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.Section));

        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddAuthServerDatabase(database, data);

        // TryAdd: a test may bring its own clock.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HashingWorkers>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<PasswordUpgrader>();
        services.AddSingleton<UserCache>();
        services.AddSingleton<SessionCache>();
        services.AddSingleton<SecretCredentialCache>();
        services.AddSingleton<RefreshSessionChecker>();
        services.AddSingleton<VerifiedPasswords>();
        services.AddSingleton<RevisionMonitor>();
        services.AddSingleton<ISnapshotHeap, CompactingSnapshotHeap>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton(sp => KeyEncryptionKey.CreateProtector(sp.GetRequiredService<IOptions<SigningOptions>>().Value, data));
        services.AddSingleton<SigningKeyRing>();
        services.AddMetrics();
        services.AddSingleton<SigningExpiry>();
        services.AddSingleton<TokenIssuer>();

        services.AddIdentitySources(configuration);
        services.AddFederation(configuration);
        services.AddSso(configuration);
        services.AddSingleton<LastUsedRecorder>();
        services.AddSingleton<LockoutStore>();
        services.AddSingleton<SmartLockout>();
        services.AddSingleton<FamiliarSources>();
        services.AddSingleton<DummyHashes>();
        services.AddSingleton<AuditSampler>();
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<AuditPruner>();

        // The actor is set once per scope (the CLI command, an admin API request) and read by
        // every domain service in it, which records its change in the same transaction.
        services.AddScoped<AuditActor>();
        services.AddScoped<ChangeAudit>();
        services.AddScoped<AuditQuery>();
        services.AddScoped<UserService>();
        services.AddScoped<GroupService>();
        services.AddScoped<RuleService>();
        services.AddScoped<AuthServer.Core.Import.ImportService>();
        services.AddScoped<SigningKeyService>();
        services.AddScoped<SigningCaService>();
        services.AddScoped<SigningStatusService>();
        services.AddScoped<KeyRotation>();
        services.AddScoped<RefreshSessionService>();
        services.AddScoped<RobotService>();
        services.AddScoped<AccessTokenService>();
        services.AddScoped<LockoutService>();
        services.AddScoped<PolicyExplainer>();
        services.AddScoped<RuleLintService>();
        services.AddScoped<CredentialChecker>();
        services.AddScoped(typeof(Deferred<>), typeof(ContainerDeferred<>));
        services.AddSingleton<StartupInitializer>();
        services.TryAddSingleton(OperatorTerminal.FromConsole());
        services.AddSingleton<FirstAdminPassword>();
        return services;
    }
}
