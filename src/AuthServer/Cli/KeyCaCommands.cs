using AuthServer.Core.Signing;

namespace AuthServer.Cli;

/// <summary>`authserver keys ca …`: the signing CA of CA mode (AuthServer:Signing:Mode=Ca).</summary>
internal sealed class KeyCaCommands(CliContext cli)
{
    private sealed record CaView(string Kid, string Algorithm, string State, bool Imported, string Subject, DateTime CreatedAt, DateTime? ActivatedAt, DateTime? RetiredAt, DateTime CertificateNotAfter)
    {
        public static CaView From(SigningCa c)
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(c.Certificate);
            return new(c.Kid, c.Algorithm, c.State.ToString().ToLowerInvariant(), c.Imported, certificate.Subject, c.CreatedAt, c.ActivatedAt, c.RetiredAt, c.NotAfter);
        }
    }

    private readonly Argument<string> _kid = new("kid") { Description = "CA id, as keys ca list shows it" };

    public Command Create()
    {
        var command = new Command("ca", "Manage the signing CA whose certificate registries trust in CA mode");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Activate());
        return command;
    }

    private Command List()
    {
        var command = new Command("list", "List signing CAs");
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var cas = await services.GetRequiredService<SigningCaService>().ListAsync(ct);
            output.List(cas.Select(CaView.From).ToList(), ["KID", "ALG", "STATE", "SUBJECT", "CERT EXPIRES"],
                c => [c.Kid, c.Algorithm, c.State, c.Subject, c.CertificateNotAfter.ToString("u")]);
        });
        return command;
    }

    private Command Add()
    {
        var algorithm = new Option<string?>("--algorithm") { Description = "ES256 or RS256 (default: AuthServer:Signing:Algorithm)" };
        var activate = Flags.Flag("--activate", "Issue keys with it at once (the current CA retires; registries must already trust it)");
        var command = new Command("add", "Create a signing CA: the active one if there is none, else the next one") { algorithm, activate };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var ca = await services.GetRequiredService<SigningCaService>().AddAsync(parse.GetValue(algorithm), parse.GetValue(activate), ct);
            output.Done(Created(ca), CaView.From(ca));
        });
        return command;
    }

    private Command Import()
    {
        var certificate = new Option<FileInfo>("--certificate") { Description = "The CA certificate (PEM, CA:true)", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "Its private key (PEM, PKCS#8 or traditional; P-256 or RSA >= 2048)", Required = true };
        var activate = Flags.Flag("--activate", "Issue keys with it at once (the current CA retires; registries must already trust it)");
        var command = new Command("import", "Take a signing CA from PEM files; its key is stored encrypted like signing keys") { certificate, key, activate };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var certificatePem = await File.ReadAllTextAsync(parse.GetValue(certificate)!.FullName, ct);
            var keyPem = await File.ReadAllTextAsync(parse.GetValue(key)!.FullName, ct);
            var ca = await services.GetRequiredService<SigningCaService>().ImportAsync(certificatePem, keyPem, parse.GetValue(activate), ct);
            output.Done(Created(ca), CaView.From(ca));
        });
        return command;
    }

    private Command Activate()
    {
        var command = new Command("activate", "Issue keys with this CA from now on; a new key under it signs at once and the current CA retires") { _kid };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var ca = await services.GetRequiredService<SigningCaService>().ActivateAsync(parse.GetValue(_kid)!, ct);
            output.Done($"CA {ca.Kid} is active; a key it issued signs from now on", CaView.From(ca));
        });
        return command;
    }

    private static string Created(SigningCa ca) => ca.State == SigningKeyState.Active
        ? $"created active CA {ca.Kid} ({ca.Algorithm}); export the bundle for your registries"
        : $"created next CA {ca.Kid} ({ca.Algorithm}); export the bundle for your registries, restart them, then 'keys ca activate {ca.Kid}'";
}
