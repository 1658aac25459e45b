using AuthServer.Registry.Api;
using AuthServer.Registry.Auth;
using AuthServer.Registry.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AuthServer.Registry;

/// <summary>
/// Builds the registry's web server: the same code runs under <c>authserver registry</c>,
/// <c>authserver demo</c> and the tests.
/// </summary>
public static class RegistryHost
{
    /// <exception cref="RegistryConfigurationException">a setting is wrong or a key file unusable; the message says which.</exception>
    public static WebApplication Build(RegistryOptions options, string url, Action<WebApplicationBuilder>? configure = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new RegistryConfigurationException(string.Join("; ", problems));
        var trust = TrustStore.Load(options.Mode, options.RootCertBundle, options.Jwks);
        var algorithms = options.Mode == VerificationMode.Distribution3
            ? Auth.SigningAlgorithms.Resolve(options.SigningAlgorithms)
            : new HashSet<string>();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // Nothing from the token server's settings files or environment: the registry is configured by its options alone.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        });
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Blob sizes are counted by the store, which answers TOO_LARGE past the limit.
            k.Limits.MaxRequestBodySize = null;
        });
        configure?.Invoke(builder);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => trust);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new TokenVerifier(
            trust, options.Mode, options.Issuer, options.Service, algorithms, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new AccessController(
            sp.GetRequiredService<TokenVerifier>(), options.Mode, sp.GetRequiredService<ILogger<AccessController>>()));
        IStorageDriver driver = options.StorageDirectory is null ? new MemoryDriver() : new FolderDriver(options.StorageDirectory);
        builder.Services.AddSingleton(new RegistryStore(driver, options.MaxBlobBytes));
        builder.Services.AddSingleton<RegistryDispatcher>();

        var app = builder.Build();
        var dispatcher = app.Services.GetRequiredService<RegistryDispatcher>();
        app.Map("/v2", dispatcher.HandleAsync);
        app.Map("/v2/{**path}", dispatcher.HandleAsync);
        return app;
    }
}
