using AuthServer.Core.Signing;

namespace AuthServer.Cli;

internal sealed class KeyCommands(CliContext cli)
{
    private sealed record KeyView(string Kid, string Algorithm, string State, DateTime CreatedAt, DateTime? ActivatedAt, DateTime? RetiredAt, DateTime CertificateNotAfter)
    {
        public static KeyView From(SigningKey k) => new(k.Kid, k.Algorithm, k.State.ToString().ToLowerInvariant(), k.CreatedAt, k.ActivatedAt, k.RetiredAt, k.NotAfter);
    }

    private readonly Argument<string> Kid = new("kid") { Description = "Key id, as keys list shows it" };

    public Command Create()
    {
        var command = new Command("keys", "Manage token signing keys");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Activate());
        command.Subcommands.Add(Retire());
        command.Subcommands.Add(new KeyCaCommands(cli).Create());
        return command;
    }

    private Command List()
    {
        var command = new Command("list", "List signing keys");
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var keys = await services.GetRequiredService<SigningKeyService>().ListAsync(ct);
            output.List(keys.Select(KeyView.From).ToList(), ["KID", "ALG", "STATE", "CREATED", "CERT EXPIRES"],
                k => [k.Kid, k.Algorithm, k.State, k.CreatedAt.ToString("u"), k.CertificateNotAfter.ToString("u")]);
        });
        return command;
    }

    private Command Status()
    {
        var command = new Command("status", "Mode, active and next key, rotation schedule, certificate expiry; exit 1 when tokens fail");
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var status = await services.GetRequiredService<SigningStatusService>().GetAsync(ct);
            if (output.IsJson)
            {
                output.Done("", status);
                return status.HasErrors ? ExitCodes.Refused : ExitCodes.Ok;
            }
            var lines = new List<string>
            {
                $"mode:            {status.Mode}",
                $"rotation:        {(status.RotationInterval is { } interval ? $"every {interval}" : "off")}",
                $"active key:      {Describe(status.ActiveKey)}",
                $"next key:        {status.NextKid ?? "none"}",
                $"next rotation:   {status.NextRotationAt?.ToString("u") ?? "none scheduled"}",
                $"signing CA:      {Describe(status.Ca)}",
            };
            lines.AddRange(status.Findings.Select(f => $"{f.Severity}: {f.Message}"));
            output.Done(string.Join(System.Environment.NewLine, lines), status);
            return status.HasErrors ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }

    private static string Describe(CertificateStatus? certificate) => certificate is null
        ? "none"
        : $"{certificate.Kid}, certificate valid until {certificate.NotAfter:u} ({certificate.RemainingDays:0.##} days)";

    private Command Export()
    {
        var bundle = new Option<FileInfo?>("--bundle") { Description = "Write the registry's rootcertbundle (PEM) here" };
        var jwks = new Option<FileInfo?>("--jwks") { Description = "Write the registry's jwks file (JSON) here" };
        var command = new Command("export", "Write what a registry needs to trust our tokens") { bundle, jwks };
        command.Validators.Add(r =>
        {
            if (r.GetValue(bundle) is null && r.GetValue(jwks) is null) r.AddError("give --bundle FILE, --jwks FILE or both");
        });
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var keys = services.GetRequiredService<SigningKeyService>();
            var written = new List<string>();
            if (parse.GetValue(bundle) is { } bundleFile)
            {
                await File.WriteAllTextAsync(bundleFile.FullName, await keys.ExportBundleAsync(ct), ct);
                written.Add(bundleFile.FullName);
            }
            if (parse.GetValue(jwks) is { } jwksFile)
            {
                await File.WriteAllTextAsync(jwksFile.FullName, (await keys.ExportJwksAsync(ct)).ToJson(), ct);
                written.Add(jwksFile.FullName);
            }
            output.Done($"wrote {string.Join(" and ", written)}", new { files = written });
        });
        return command;
    }

    private Command Add()
    {
        var algorithm = new Option<string?>("--algorithm") { Description = "ES256 or RS256 (default: AuthServer:Signing:Algorithm)" };
        var activate = Flags.Flag("--activate", "Make it the active key at once (the current key retires)");
        var command = new Command("add", "Create a signing key, as the next key unless --activate") { algorithm, activate };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var key = await services.GetRequiredService<SigningKeyService>().AddAsync(parse.GetValue(algorithm), parse.GetValue(activate), ct);
            output.Done($"created {key.State.ToString().ToLowerInvariant()} key {key.Kid} ({key.Algorithm}); export the bundle for your registries", KeyView.From(key));
        });
        return command;
    }

    private Command Import()
    {
        var certificate = new Option<FileInfo>("--cert", "--certificate") { Description = "The key's certificate (PEM), e.g. docker_auth's token.certificate", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "Its private key (PEM, PKCS#8 or traditional; EC P-256 or RSA >= 2048)", Required = true };
        var activate = Flags.Flag("--activate", "Sign with it at once (the current key retires)");
        var command = new Command("import", "Take a signing key from PEM files, so registries that trust its certificate keep accepting tokens") { certificate, key, activate };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var certificatePem = await File.ReadAllTextAsync(parse.GetValue(certificate)!.FullName, ct);
            var keyPem = await File.ReadAllTextAsync(parse.GetValue(key)!.FullName, ct);
            var imported = await services.GetRequiredService<SigningKeyService>().ImportAsync(certificatePem, keyPem, parse.GetValue(activate), ct);
            output.Done($"imported {imported.State.ToString().ToLowerInvariant()} key {imported.Kid} ({imported.Algorithm})", KeyView.From(imported));
        });
        return command;
    }

    private Command Activate()
    {
        var command = new Command("activate", "Sign with this key from now on; the current key retires") { Kid };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var key = await services.GetRequiredService<SigningKeyService>().ActivateAsync(parse.GetValue(Kid)!, ct);
            output.Done($"key {key.Kid} is active", KeyView.From(key));
        });
        return command;
    }

    private Command Retire()
    {
        var command = new Command("retire", "Retire a next key that will not be used") { Kid };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var key = await services.GetRequiredService<SigningKeyService>().RetireAsync(parse.GetValue(Kid)!, ct);
            output.Done($"key {key.Kid} is retired", KeyView.From(key));
        });
        return command;
    }
}
