using AuthServer.Core.Signing;

namespace AuthServer.Cli;

/// <summary>
/// <c>authserver doctor</c>: checks this installation and prints one line per finding with its
/// fix; exits 1 when something makes tokens fail. It reports the signing CA's and the active key's
/// remaining validity, the rotation schedule, and what a registry must be given.
/// </summary>
internal sealed class DoctorCommand(CliContext cli)
{
    public Command Create()
    {
        var command = new Command("doctor", "Check this installation: signing keys, certificate expiry, rotation; exit 1 on an error");
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
            if (output.IsJson) output.Done("", findings);
            else output.Done(string.Join(System.Environment.NewLine, findings.Select(f => $"{f.Severity}: {f.Message}")), findings);
            return status.HasErrors ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }
}
