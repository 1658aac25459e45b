using AuthServer.Backup;
using AuthServer.Core.Signing;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary><c>authserver backup FILE</c> and <c>authserver restore FILE</c> (docs/operations.md).</summary>
internal sealed class BackupCommands(CliContext cli)
{
    private readonly Argument<FileInfo> _file = new("file") { Description = "The backup file" };

    public Command Backup()
    {
        var command = new Command("backup", "Copy the database to FILE, consistent while the server runs and writes (not the key-encryption key)") { _file };
        command.SetAction((parse, ct) => cli.RunWithHostAsync(parse, async (services, output) =>
        {
            var summary = await services.GetRequiredService<DatabaseBackup>().BackupAsync(parse.GetValue(_file)!.FullName, ct);
            output.Done($"backed up the database to {summary.File} ({summary.Bytes} bytes, {summary.Users} users, {summary.SigningKeys} signing keys); " +
                        $"it does not hold the key-encryption key ({KekSource(services)}): keep a copy of that apart", summary);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public Command Restore()
    {
        var command = new Command("restore", "Put a backup in place as the database of a data directory that has none (stop the server first)") { _file };
        command.SetAction((parse, ct) => cli.RunWithHostAsync(parse, async (services, output) =>
        {
            var summary = await services.GetRequiredService<DatabaseBackup>().RestoreAsync(parse.GetValue(_file)!.FullName, ct);
            var options = services.GetRequiredService<IOptions<SigningOptions>>().Value;
            var data = services.GetRequiredService<Core.Data.DataDirectory>();
            var kek = KeyEncryptionKey.Exists(options, data)
                ? $"the key-encryption key is in place ({KeyEncryptionKey.Source(options, data)})"
                : $"now put the key-encryption key back at {KeyEncryptionKey.Source(options, data)} (or set {KeyEncryptionKey.Setting}): the server will not start without it";
            output.Done($"restored {summary.File} ({summary.Users} users, {summary.SigningKeys} signing keys); {kek}", summary);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string KekSource(IServiceProvider services) =>
        KeyEncryptionKey.Source(services.GetRequiredService<IOptions<SigningOptions>>().Value, services.GetRequiredService<Core.Data.DataDirectory>());
}
