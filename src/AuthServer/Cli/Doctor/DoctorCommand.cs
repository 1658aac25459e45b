using AuthServer.Admin;
using AuthServer.Core.Signing;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary>
/// <c>authserver doctor</c>: checks this installation and prints one line per finding with its
/// fix; exits 1 when something is an error (tokens fail, the server cannot start, a secret is open
/// to others), 0 with warnings. It reports the signing CA's and the active key's remaining
/// validity and the rotation schedule; how clients reach the server (<see cref="TransportCheck"/>);
/// the secrets at rest (<see cref="SecretsCheck"/>); the directory's transport (<see cref="DirectoryCheck"/>); and with <c>--registry-config</c>, a
/// registry's configuration against this server (<see cref="RegistryConfigCheck"/>). It reads the
/// settings it is run with: run it as the server runs, with the same environment and files.
/// </summary>
internal sealed class DoctorCommand(CliContext cli)
{
    public Command Create()
    {
        var registryConfig = new Option<FileInfo?>("--registry-config")
        {
            Description = "Also check a distribution registry's config.yml (2.8 or 3.x) against this server: realm, issuer, service, rootcertbundle, jwks, clock",
        };
        var command = new Command("doctor",
            "Check this installation: signing keys and certificate expiry, TLS or a trusted proxy, secret file permissions, a leftover bootstrap password; exit 1 on an error")
        {
            registryConfig,
        };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var findings = new List<SigningFinding>();
            findings.AddRange(await SigningAsync(services, ct));
            var publicUrls = new List<(string What, string Url)>();
            if (services.GetRequiredService<IOptions<AdminOptions>>().Value.PublicUrl is { Length: > 0 } publicUrl)
                publicUrls.Add(($"{AdminOptions.Section}:PublicUrl", publicUrl));
            if (parse.GetValue(registryConfig) is { } config)
            {
                var check = new RegistryConfigCheck(
                    services.GetRequiredService<IOptions<TokenOptions>>().Value, services.GetRequiredService<SigningKeyRing>(), services.GetRequiredService<TimeProvider>());
                findings.AddRange(await check.CheckAsync(config.FullName, ct));
                if (check.Realm is { } realm) publicUrls.Add(("the registry's realm", realm));
            }
            var server = new Findings();
            new TransportCheck(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<TimeProvider>()).Check(server, publicUrls);
            await ActivatorUtilities.CreateInstance<SecretsCheck>(services).CheckAsync(server, ct);
            ActivatorUtilities.CreateInstance<DirectoryCheck>(services).Check(server);
            findings.AddRange(server.All);
            if (output.IsJson) output.Done("", findings);
            else output.Done(string.Join(System.Environment.NewLine, findings.Select(f => $"{f.Severity}: {f.Message}")), findings);
            return findings.Any(f => f.Severity == "error") ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<IReadOnlyList<SigningFinding>> SigningAsync(IServiceProvider services, CancellationToken ct)
    {
        var status = await services.GetRequiredService<SigningStatusService>().GetAsync(ct);
        var findings = new List<SigningFinding>();
        if (status.ActiveKey is { } key)
            findings.Add(new("ok", $"active signing key {key.Kid}: certificate valid until {key.NotAfter:u} ({key.RemainingDays:0.##} days)"));
        if (status.Ca is { } ca)
            findings.Add(new("ok", $"signing CA {ca.Kid}: certificate valid until {ca.NotAfter:u} ({ca.RemainingDays:0.##} days)"));
        findings.Add(new("ok", status.RotationInterval is { } interval
            ? $"rotation every {interval}; next on {status.NextRotationAt:u}"
            : "scheduled rotation is off (AuthServer:Signing:RotationInterval)"));
        findings.AddRange(status.Findings);
        return findings;
    }
}
