using AuthServer.Core.Signing;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary>
/// <c>authserver doctor</c>: checks this installation and prints one line per finding with its
/// fix; exits 1 when something makes tokens fail. It reports the signing CA's and the active key's
/// remaining validity, the rotation schedule, and what a registry must be given; with
/// <c>--registry-config</c>, a registry's configuration against this server (<see cref="RegistryConfigCheck"/>).
/// </summary>
internal sealed class DoctorCommand(CliContext cli)
{
    public Command Create()
    {
        var registryConfig = new Option<FileInfo?>("--registry-config")
        {
            Description = "Also check a distribution registry's config.yml (2.8 or 3.x) against this server: realm, issuer, service, rootcertbundle, jwks, clock",
        };
        var command = new Command("doctor", "Check this installation: signing keys, certificate expiry, rotation; exit 1 on an error") { registryConfig };
        cli.SetAction(command, async (parse, services, output, ct) =>
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
            if (parse.GetValue(registryConfig) is { } config)
            {
                var check = new RegistryConfigCheck(
                    services.GetRequiredService<IOptions<TokenOptions>>().Value, services.GetRequiredService<SigningKeyRing>(), services.GetRequiredService<TimeProvider>());
                findings.AddRange(await check.CheckAsync(config.FullName, ct));
            }
            if (output.IsJson) output.Done("", findings);
            else output.Done(string.Join(System.Environment.NewLine, findings.Select(f => $"{f.Severity}: {f.Message}")), findings);
            return findings.Any(f => f.Severity == "error") ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }
}
