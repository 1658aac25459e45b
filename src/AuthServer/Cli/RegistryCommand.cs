using AuthServer.Registry;
using AuthServer.Registry.Auth;

namespace AuthServer.Cli;

/// <summary><c>authserver registry</c>: the built-in registry on its own, trusting the tokens of a token server.</summary>
internal sealed class RegistryCommand(CliContext cli)
{
    /// <summary>The token rules to verify by; <c>demo</c> takes it too.</summary>
    public static Option<string> ModeOption()
    {
        var mode = new Option<string>("--mode")
        {
            Description = "Verify tokens as distribution 2.8 (libtrust kid, aud a string) or 3 (RFC 7638/JWKS kid, aud string or array) does",
            DefaultValueFactory = _ => "2.8",
        };
        mode.Validators.Add(r =>
        {
            if (!VerificationModes.TryParse(r.GetValueOrDefault<string>(), out _)) r.AddError("--mode must be 2.8 or 3");
        });
        return mode;
    }

    // The option's validator has refused anything else before an action runs.
    public static VerificationMode ModeOf(ParseResult parse, Option<string> option) =>
        VerificationModes.TryParse(parse.GetValue(option), out var mode) ? mode : throw new InvalidOperationException("--mode was not validated");

    public Command Create()
    {
        var modeOption = ModeOption();
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 5000 };
        var realm = new Option<string>("--realm") { Description = "The token endpoint clients are sent to (absolute URL)", DefaultValueFactory = _ => "http://127.0.0.1:5001/token" };
        var service = new Option<string>("--service") { Description = "auth.token.service: the audience tokens must name", DefaultValueFactory = _ => "registry" };
        var issuer = new Option<string>("--issuer") { Description = "auth.token.issuer: the iss tokens must carry", DefaultValueFactory = _ => "authserver" };
        var bundle = new Option<FileInfo?>("--bundle") { Description = "auth.token.rootcertbundle: PEM certificates (authserver keys export --bundle)" };
        var jwks = new Option<FileInfo?>("--jwks") { Description = "auth.token.jwks (3 only): a JWKS file (authserver keys export --jwks)" };
        var algorithms = new Option<string?>("--signing-algorithms") { Description = "auth.token.signingalgorithms (3 only), comma-separated; default: distribution's list" };
        var storage = new Option<DirectoryInfo?>("--storage") { Description = "Keep repositories in this folder (default: in memory, gone at exit)" };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535) r.AddError("--port must be between 0 and 65535");
        });

        var command = new Command("registry", "Run the built-in registry (distribution's v2 API subset) that trusts our tokens")
        {
            host, port, realm, service, issuer, bundle, jwks, algorithms, storage, modeOption,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new RegistryOptions
            {
                Realm = parse.GetValue(realm)!,
                Service = parse.GetValue(service)!,
                Issuer = parse.GetValue(issuer)!,
                RootCertBundle = parse.GetValue(bundle)?.FullName,
                Jwks = parse.GetValue(jwks)?.FullName,
                Mode = ModeOf(parse, modeOption),
                SigningAlgorithms = (parse.GetValue(algorithms) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
                StorageDirectory = parse.GetValue(storage)?.FullName,
            };
            return await RunAsync(parse, options, $"http://{parse.GetValue(host)}:{parse.GetValue(port)}", ct);
        });
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, RegistryOptions options, string url, CancellationToken ct)
    {
        WebApplication app;
        try
        {
            app = RegistryHost.Build(options, url);
        }
        catch (RegistryConfigurationException e)
        {
            return cli.Error(parse, ExitCodes.Refused, "invalid", e.Message);
        }
        await using (app)
        {
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e)
            {
                return cli.Error(parse, ExitCodes.Failed, "failed", $"cannot listen on {url}: {e.Message}");
            }
            cli.Environment.Out.WriteLine($"registry listening on {app.Urls.First()} (distribution {options.Mode.Name()} token rules, " +
                              $"realm {options.Realm}, service {options.Service}, issuer {options.Issuer}, storage {options.StorageDirectory ?? "in memory"})");
            await app.WaitForShutdownAsync(ct);
        }
        return 0;
    }
}
