using AuthServer.Core.Ldap;

namespace AuthServer.Cli;

/// <summary><c>authserver ldap test USER</c>: what the directory says about one user, with the server's settings.</summary>
internal sealed class LdapCommands(CliContext cli)
{
    private sealed record LdapTestView(
        string User, bool Found, string? Dn, string? DisplayName, string[] DirectoryGroups, string[] MappedGroups,
        string? Refusal, bool? PasswordAccepted, string? Error);

    public Command Create()
    {
        var command = new Command("ldap", "The directory (AuthServer:Ldap)");
        command.Subcommands.Add(Test());
        return command;
    }

    private Command Test()
    {
        var user = new Argument<string>("user") { Description = "The login name to look up" };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = "Also check the user's password (read from standard input, never shown) by binding as them",
        };
        var command = new Command("test", "Check the service bind, the user search and the groups for one user, and print what was found") { user, passwordStdin };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var directory = services.GetService<LdapDirectory>();
            var accounts = services.GetService<DirectoryAccounts>();
            if (directory is null || accounts is null)
                return cli.Error(parse, ExitCodes.Usage, "usage", $"no directory is configured: set {LdapOptions.Section}:Servers");
            var login = parse.GetValue(user)!;
            var password = parse.GetValue(passwordStdin) ? cli.Environment.In.ReadLine() ?? "" : null;
            LdapTestView view;
            try
            {
                var entry = await directory.FindUserAsync(Core.Identity.Names.Normalize(login), ct);
                bool? accepted = entry is null || password is null ? null : await directory.CheckPasswordAsync(entry.Dn, password, ct);
                view = new LdapTestView(login, entry is not null, entry?.Dn, entry?.DisplayName,
                    entry?.Groups.Select(g => g.Dn).ToArray() ?? [], entry is null ? [] : [.. accounts.MappedGroups(entry)],
                    entry is null ? "not found in the directory" : accounts.Refusal(entry), accepted, null);
            }
            catch (DirectoryUnavailableException e)
            {
                view = new LdapTestView(login, false, null, null, [], [], null, null, e.Message);
            }
            output.Done(Describe(view), view);
            return view.Error is not null ? ExitCodes.Failed
                : view.Refusal is null && view.PasswordAccepted != false ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    private static string Describe(LdapTestView v)
    {
        if (v.Error is not null) return $"directory unreachable: {v.Error}";
        if (!v.Found) return $"user {v.User}: not found in the directory (service bind and search worked)";
        var lines = new List<string>
        {
            $"user {v.User}: {v.Dn}",
            $"  display name: {v.DisplayName ?? "-"}",
            $"  directory groups: {(v.DirectoryGroups.Length == 0 ? "-" : string.Join("; ", v.DirectoryGroups))}",
            $"  AuthServer groups (mapped): {(v.MappedGroups.Length == 0 ? "-" : string.Join(", ", v.MappedGroups))}",
            $"  may sign in: {(v.Refusal is null ? "yes" : "no, " + v.Refusal)}",
        };
        if (v.PasswordAccepted is { } accepted) lines.Add($"  password: {(accepted ? "accepted by the directory" : "refused by the directory")}");
        return string.Join("\n", lines);
    }
}
