using AuthServer.Core.Data;

namespace AuthServer.Hosting;

/// <summary>
/// Hands over the generated password of the first administrator. On a terminal it is shown once;
/// anywhere else (a container's output, a service's journal) it would be kept and shipped with
/// the log, so it goes to a file in the data directory that only this account may read, once,
/// and the log says where. Never in a log line.
/// </summary>
public sealed class FirstAdminPassword(OperatorTerminal terminal, DataDirectory data, ILogger<FirstAdminPassword> log)
{
    public const string FileName = "first-admin-password";

    public void Hand(string admin, string password)
    {
        if (terminal.IsTerminal)
        {
            terminal.Error.WriteLine();
            terminal.Error.WriteLine($"  First start: administrator '{admin}' created with password: {password}");
            terminal.Error.WriteLine($"  It is shown only this once. Change it with: authserver user passwd {admin}");
            terminal.Error.WriteLine();
            return;
        }
        var path = data.Resolve(FileName);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, options)) writer.WriteLine(password);
        log.LogWarning("First start: administrator {Admin} created; its password is in {Path} (mode 0600). " +
                       "Read it, change it with 'authserver user passwd', then delete the file", admin, path);
    }
}
