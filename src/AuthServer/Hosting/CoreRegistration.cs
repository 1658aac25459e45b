using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Signing;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>What the server and the CLI share: settings, database, domain services and key material.</summary>
public static class CoreRegistration
{
    public static IServiceCollection AddAuthServerCore(this IServiceCollection services, IConfiguration configuration)
    {
        var data = new DataDirectory(Path.GetFullPath(configuration[DataDirectory.Setting] ?? DataDirectory.Default));
        services.AddSingleton(data);

        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>();
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordOptions>().Bind(configuration.GetSection(PasswordOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RefreshSessionOptions>().Bind(configuration.GetSection(RefreshSessionOptions.Section));
        services.AddOptions<CacheOptions>().Bind(configuration.GetSection(CacheOptions.Section));
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.Section));

        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddAuthServerDatabase(database, data);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<RevisionMonitor>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton(sp => KeyEncryptionKey.CreateProtector(sp.GetRequiredService<IOptions<SigningOptions>>().Value, data));
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<TokenIssuer>();

        services.AddScoped<UserService>();
        services.AddScoped<GroupService>();
        services.AddScoped<RuleService>();
        services.AddScoped<SigningKeyService>();
        services.AddScoped<RefreshSessionService>();
        services.AddSingleton<StartupInitializer>();
        return services;
    }
}
