using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AuthServer.Cli;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Signing;
using AuthServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>
/// Our server as `authserver serve` runs it (AuthServerHost.Build), on a free loopback port with
/// its own SQLite file, plus the `authserver` command line, run in process, for the operator's commands
/// (keys add/export/activate, user passwd) against the same data directory.
/// </summary>
public sealed class AuthServerInstance : IAsyncDisposable
{
    public const string AdminName = "admin";
    public const string AdminPassword = "admin-password-1";
    public const string Issuer = "interop-issuer";
    public const string Service = "interop-registry";

    private readonly Dictionary<string, string?> _settings;
    private WebApplication? _app;

    private AuthServerInstance(Dictionary<string, string?> settings, string dataDirectory)
    {
        _settings = settings;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public Uri Realm => new(BaseAddress, "/token");
    public HttpClient Http { get; private set; } = null!;
    public TokenRequestLog Requests { get; } = new();

    /// <summary>Starts a server; <paramref name="configure"/> changes settings (key mode, algorithm).</summary>
    public static async Task<AuthServerInstance> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var data = TempDirectory.Create("interop-authserver");
        var settings = new Dictionary<string, string?>
        {
            ["AuthServer:DataDirectory"] = data,
            ["AuthServer:Passwords:WorkFactor"] = "4",
            ["AuthServer:Bootstrap:AdminName"] = AdminName,
            ["AuthServer:Bootstrap:AdminPassword"] = AdminPassword,
            ["AuthServer:Tokens:Issuer"] = Issuer,
            ["AuthServer:Tokens:Services:0:Name"] = Service,
            ["AuthServer:Tokens:Services:0:TokenLifetimeSeconds"] = "900",
            // The CLI is another process: its changes (keys, passwords) reach this one this fast.
            ["AuthServer:Cache:RevisionCheckInterval"] = "00:00:00.200",
            // Warnings only: the test output stays readable; refused logins still show.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        configure?.Invoke(settings);
        var instance = new AuthServerInstance(settings, data);
        await instance.StartAsync();
        return instance;
    }

    private async Task StartAsync()
    {
        _app = AuthServerHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(_settings);
            // A free loopback port, unless the fixture chose an address (https).
            if (!_settings.ContainsKey("Urls")) builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Urls"] = "http://127.0.0.1:0" });
            builder.Services.AddSingleton<IStartupFilter>(Requests);
        });
        await _app.Services.GetRequiredService<StartupInitializer>().InitializeAsync(CancellationToken.None);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    /// <summary>An `authserver` command with this server's settings, run in process as the executable runs it.</summary>
    public Task<ProcessResult> CliAsync(params string[] args) => CliAsync(args, stdin: null);

    public async Task<ProcessResult> CliAsync(string[] args, string? stdin)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment(new StringReader(stdin is null ? "" : stdin + "\n"), output, error, ErrorIsTerminal: false, _settings);
        var exitCode = await CliApp.RunAsync(args, environment, CancellationToken.None);
        return new ProcessResult($"authserver {string.Join(' ', args)}", exitCode, output.ToString(), error.ToString());
    }

    /// <summary>`keys export`: the rootcertbundle (and JWKS) a registry is configured with.</summary>
    public async Task ExportKeysAsync(string bundlePath, string? jwksPath = null)
    {
        string[] args = jwksPath is null ? ["keys", "export", "--bundle", bundlePath] : ["keys", "export", "--bundle", bundlePath, "--jwks", jwksPath];
        (await CliAsync(args)).EnsureSuccess();
    }

    /// <summary>The signing keys and their states (next, active, retired), as `keys list` shows them.</summary>
    public async Task<IReadOnlyList<(string Kid, string State)>> ListKeysAsync()
    {
        IReadOnlyList<SigningKey> keys = [];
        await WithServicesAsync(async sp => keys = await sp.GetRequiredService<SigningKeyService>().ListAsync(CancellationToken.None));
        return keys.Select(k => (k.Kid, k.State.ToString().ToLowerInvariant())).ToArray();
    }

    /// <summary>A new user with a unique lower-case name, usable as a repository path component.</summary>
    public async Task<Account> NewUserAsync(string prefix, bool admin = false)
    {
        var account = new Account($"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 8)], $"pw-{Guid.NewGuid():N}");
        await WithServicesAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(account.Name, account.Password, admin, CancellationToken.None));
        return account;
    }

    /// <summary>An allow rule, as `authserver rule add` makes it.</summary>
    public Task AllowAsync(string subject, string pattern, params string[] actions) =>
        WithServicesAsync(sp => sp.GetRequiredService<RuleService>().CreateAsync(
            new RuleSpec(RuleEffect.Allow, subject, "repository", pattern, actions), CancellationToken.None));

    /// <summary>The token a client gets for these scopes (GET, Basic auth unless anonymous).</summary>
    public async Task<string> GetTokenAsync(Account? account, params string[] scopes)
    {
        var query = $"service={Uri.EscapeDataString(Service)}" + string.Concat(scopes.Select(s => "&scope=" + Uri.EscapeDataString(s)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/token?" + query);
        if (account is not null) request.Headers.Authorization = account.Basic;
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token request answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    public async Task WithServicesAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        TempDirectory.Delete(DataDirectory);
    }
}

/// <summary>A user name and password.</summary>
public sealed record Account(string Name, string Password)
{
    public AuthenticationHeaderValue Basic => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Name}:{Password}")));

    /// <summary>skopeo's --creds form.</summary>
    public string Creds => $"{Name}:{Password}";

    public override string ToString() => Name;
}
