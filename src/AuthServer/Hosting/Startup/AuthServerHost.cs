using AuthServer.Admin;
using AuthServer.Core.SignIn;
using AuthServer.Sso;
using AuthServer.Telemetry;
using AuthServer.Tokens;
using AuthServer.WebConsole;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>Builds the web server: the same code runs under <c>serve</c>, <c>demo</c> and the tests.</summary>
public static class AuthServerHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, string? configFile = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Settings ship next to the binary; the data directory is relative to where it runs.
            ContentRootPath = AppContext.BaseDirectory,
        });
        AuthServerConfiguration.AddSources(builder.Configuration, args, configFile);
        configure?.Invoke(builder);
        ManagementPort.Listen(builder);
        LogFormat.Configure(builder);

        var tls = TlsCertificate.FromConfiguration(builder.Configuration);
        // By factory, so the container disposes it (its reload timer) with the host.
        if (tls is not null) builder.Services.AddSingleton(_ => tls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            if (tls is not null) k.ConfigureHttpsDefaults(tls.Apply);
        });
        builder.Services.AddAuthServerCore(builder.Configuration);
        builder.Services.AddTrustedProxies(builder.Configuration);
        builder.Services.AddTokenRateLimiting(builder.Configuration);
        builder.Services.AddScoped<SignInService>();
        builder.Services.AddScoped<AccessResolver>();
        builder.Services.AddScoped<TokenEndpoint>();
        builder.Services.AddExceptionHandler<ErrorHandling>();
        builder.Services.AddProblemDetails();
        builder.Services.AddAdminApi();
        builder.Services.AddWebConsole(builder.Configuration);
        builder.Services.AddSsoSignIn(builder.Configuration);
        builder.Services.AddAuthServerHealthChecks();
        builder.Services.AddAuthServerTelemetry(builder.Configuration);
        builder.Services.AddOptions<ShutdownOptions>().Bind(builder.Configuration.GetSection(ShutdownOptions.Section))
            .Validate(o => o.Timeout >= TimeSpan.FromSeconds(1) && o.Timeout <= TimeSpan.FromMinutes(10), $"{ShutdownOptions.Section}:Timeout must be between 1 second and 10 minutes")
            .ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        builder.Services.AddHostedService<AuditWriterService>();
        builder.Services.AddHostedService<LastUsedFlushService>();
        builder.Services.AddHostedService<MaintenanceService>();
        builder.Services.AddHostedService<KeyRotationService>();
        builder.Services.AddHostedService<ReplicaChannelService>();
        builder.Services.AddIdentitySourceServices(builder.Configuration);

        var app = builder.Build();
        tls?.UseLogger(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<TlsCertificate>());
        app.UseExceptionHandler();
        app.UseManagementPort();
        // First the real client address (trusted proxies only), then everything that counts by it.
        app.UseForwardedHeaders();
        app.UseRateLimiter();
        // Answers the framework gives without a body (415, 405, an unknown admin route) become problem details too.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(AdminApi.Prefix), api => api.UseStatusCodePages());
        app.UseWebConsole();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapMetrics();
        app.MapTokenEndpoints();
        app.MapAdminApi();
        app.MapWebConsole();
        app.MapSsoEndpoints();
        return app;
    }

    /// <summary>
    /// Checks every setting and listen address, then migrates and bootstraps, then serves until
    /// SIGTERM or Ctrl-C. In that order, so a start that fails on a setting or a busy port has
    /// written nothing: no database, no key, no one-time password.
    /// </summary>
    public static async Task RunAsync(WebApplication app, CancellationToken ct)
    {
        app.Services.GetService<IStartupValidator>()?.Validate();
        ListenAddresses.Check(app.Configuration["urls"]);
        await app.Services.GetRequiredService<StartupInitializer>().InitializeAsync(ct);
        await app.StartAsync(ct);
        await app.WaitForShutdownAsync(ct);
    }
}
