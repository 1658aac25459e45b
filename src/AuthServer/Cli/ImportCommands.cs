using AuthServer.Core.Import;
using AuthServer.Core.Import.DockerAuth;
using AuthServer.Core.Signing;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary>
/// <c>import htpasswd</c> and <c>import docker-auth</c>: users keep their passwords (bcrypt hashes
/// are taken as they are), and whatever cannot come along is one line each. A dry run prints the
/// same lines, since it runs the same transaction and rolls it back.
/// </summary>
internal sealed class ImportCommands(CliContext cli)
{
    private readonly Argument<FileInfo> File = new("file") { Description = "The file to read" };
    private readonly Option<bool> DryRun = Flags.Flag("--dry-run", "Print what the import would do, and write nothing");
    private readonly Option<bool> Update = Flags.Flag("--update", "Replace the password hash of users that are already here (default: keep them)");

    public Command Create()
    {
        var command = new Command("import", "Bring users (with their passwords) and rules over from another server");
        command.Subcommands.Add(Htpasswd());
        command.Subcommands.Add(DockerAuth());
        return command;
    }

    private Command DockerAuth()
    {
        var command = new Command("docker-auth",
            "Import docker_auth's static users (bcrypt), a group per label and its ACL as rules; each ACL entry whose decisions differ here is reported")
        {
            File, DryRun, Update,
        };
        cli.SetAction(command, (parse, services, output, ct) =>
        {
            var configured = services.GetRequiredService<IOptions<TokenOptions>>().Value.Services.Select(s => s.Name).ToList();
            return RunAsync(parse, services, output, text => DockerAuthImport.Plan(text, configured), ct);
        });
        return command;
    }

    private Command Htpasswd()
    {
        var group = new Option<string?>("--group") { Description = "Add every imported user to this group (made if missing)" };
        var command = new Command("htpasswd", "Import the users of an htpasswd file; bcrypt hashes only (htpasswd -B), others are reported and skipped")
        {
            File, group, DryRun, Update,
        };
        cli.SetAction(command, (parse, services, output, ct) =>
            RunAsync(parse, services, output, text => HtpasswdFile.Plan(text, parse.GetValue(group)), ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, IServiceProvider services, Output output, Func<string, ImportPlan> plan, CancellationToken ct)
    {
        var file = parse.GetValue(File)!;
        if (!file.Exists) return cli.Error(parse, ExitCodes.Refused, "not-found", $"file {file.FullName} does not exist");
        var text = await System.IO.File.ReadAllTextAsync(file.FullName, ct);
        var report = await services.GetRequiredService<ImportService>().ApplyAsync(plan(text), parse.GetValue(Update), parse.GetValue(DryRun), ct);
        Write(report, output);
        return ExitCodes.Ok;
    }

    private void Write(ImportReport report, Output output)
    {
        if (output.IsJson)
        {
            output.Done("", new
            {
                report.Source,
                report.DryRun,
                report.Actions,
                report.Findings,
                summary = new
                {
                    usersCreated = report.Count(ImportActions.CreateUser),
                    usersUpdated = report.Count(ImportActions.UpdateUser),
                    usersKept = report.Count(ImportActions.KeepUser),
                    groupsCreated = report.Count(ImportActions.CreateGroup),
                    membersAdded = report.Count(ImportActions.AddMember),
                    rulesCreated = report.Count(ImportActions.CreateRule),
                    skipped = report.CountFindings(ImportFinding.Skipped),
                    refused = report.CountFindings(ImportFinding.Refused),
                    differences = report.CountFindings(ImportFinding.Difference),
                },
            });
            return;
        }
        var writer = cli.Environment.Out;
        foreach (var action in report.Actions) writer.WriteLine(action.Text);
        foreach (var finding in report.Findings)
        {
            var entries = finding.Entries.Count == 0 ? "" : (finding.Entries.Count == 1 ? "acl entry " : "acl entries ") + string.Join(", ", finding.Entries) + ": ";
            writer.WriteLine($"{finding.Kind}: {entries}{finding.Message}");
        }
        writer.WriteLine((report.DryRun ? "dry run, nothing written: " : "imported: ") + report.Summary);
    }
}
