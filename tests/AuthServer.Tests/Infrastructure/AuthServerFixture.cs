using System.Net.Http.Headers;
using System.Text;
using AuthServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// A real server on a free loopback port with its own SQLite file, as `authserver serve` runs it;
/// <see cref="AuthServerOnPostgres"/> gives it a database of its own in the run's PostgreSQL instead.
/// bcrypt runs at its lowest cost so the suite stays fast; everything else is the shipped code.
/// </summary>
public class AuthServerFixture : IAsyncLifetime
{
    public const string AdminName = "admin";
    public const string AdminPassword = "admin-password-1";
    public const string Service = "registry";
    public const string ShortService = "short-lived";

    private WebApplication? _app;

    public string DataDirectory { get; } = TempDirectory.Create("authserver-test");
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public CapturedLogs Logs { get; } = new();
    public IServiceProvider Services => _app!.Services;

    /// <summary>Whether the server runs on PostgreSQL (a database of its own in <see cref="PostgresCluster"/>) instead of SQLite.</summary>
    public virtual bool OnPostgres => false;

    /// <summary>The Npgsql connection string of the server's database, when <see cref="OnPostgres"/>.</summary>
    public string? PostgresConnectionString { get; private set; }

    /// <summary>A derived fixture adds or overrides settings before start.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// <summary>A derived fixture registers its own services (a clock) before the server's.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        var settings = BaseSettings(DataDirectory);
        if (OnPostgres)
        {
            var cluster = await PostgresCluster.SharedAsync();
            PostgresConnectionString = cluster.ConnectionString(PostgresCluster.NewDatabaseName("authserver"));
            settings["AuthServer:Database:Provider"] = "PostgreSQL";
            settings["AuthServer:Database:ConnectionString"] = PostgresConnectionString;
        }
        Configure(settings);
        _app = AuthServerHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddProvider(Logs);
            ConfigureServices(builder.Services);
        });
        await _app.Services.GetRequiredService<StartupInitializer>().InitializeAsync(CancellationToken.None);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public static Dictionary<string, string?> BaseSettings(string dataDirectory) => new()
    {
        ["Urls"] = "http://127.0.0.1:0",
        ["AuthServer:DataDirectory"] = dataDirectory,
        ["AuthServer:Passwords:WorkFactor"] = "4",
        ["AuthServer:Bootstrap:AdminName"] = AdminName,
        ["AuthServer:Bootstrap:AdminPassword"] = AdminPassword,
        ["AuthServer:Tokens:Issuer"] = "test-issuer",
        ["AuthServer:Tokens:Realm"] = "Test Realm",
        ["AuthServer:Tokens:Services:0:Name"] = Service,
        ["AuthServer:Tokens:Services:0:TokenLifetimeSeconds"] = "900",
        ["AuthServer:Tokens:Services:1:Name"] = ShortService,
        ["AuthServer:Tokens:Services:1:TokenLifetimeSeconds"] = "120",
        ["Logging:LogLevel:Default"] = "Information",
        // Issued tokens are logged at Debug; the tests read those lines too.
        ["Logging:LogLevel:AuthServer.Tokens"] = "Debug",
        // Tests share one loopback address; the limits' own tests set them low on their own servers.
        ["AuthServer:RateLimit:Burst"] = "100000",
        ["AuthServer:RateLimit:PermitsPerSecond"] = "100000",
    };

    /// <summary>The base settings plus <paramref name="extra"/>, for a server run as its own process (<see cref="ServerProcess"/>, which picks its data directory and port).</summary>
    public static Dictionary<string, string?> ProcessSettings(IReadOnlyDictionary<string, string?> extra)
    {
        var settings = BaseSettings("");
        settings.Remove("AuthServer:DataDirectory");
        settings.Remove("Urls");
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    /// <summary>Stops as the server does on SIGTERM (in-flight requests finish, queued audit events are written); the data stays.</summary>
    public async Task StopAsync()
    {
        Http?.Dispose();
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        TempDirectory.Delete(DataDirectory);
    }

    /// <summary>Runs domain services in a scope, as the CLI or the admin API would.</summary>
    public async Task<T> WithServiceAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task WithServiceAsync(Func<IServiceProvider, Task> action) =>
        WithServiceAsync(async sp => { await action(sp); return 0; });

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}

/// <summary>The same server on PostgreSQL: the provider-parametrised tests run on both.</summary>
public class AuthServerOnPostgres : AuthServerFixture
{
    public override bool OnPostgres => true;
}
