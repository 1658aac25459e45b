using AuthServer.Core.Identity;

namespace AuthServer.Cli;

internal sealed class GroupCommands(CliContext cli)
{
    private readonly Argument<string> Group = new("group") { Description = "Group name (case-insensitive)" };
    private readonly Argument<string> User = new("user") { Description = "User name" };

    public Command Create()
    {
        var command = new Command("group", "Manage groups and their members");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Member("add-member", "Add a user to a group", (s, g, u, ct) => s.AddMemberAsync(g, u, ct), "added to"));
        command.Subcommands.Add(Member("remove-member", "Remove a user from a group", (s, g, u, ct) => s.RemoveMemberAsync(g, u, ct), "removed from"));
        return command;
    }

    private Command Add()
    {
        var description = new Option<string?>("--description") { Description = "What the group is for" };
        var command = new Command("add", "Create a group") { Group, description };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var group = await services.GetRequiredService<GroupService>().CreateAsync(parse.GetValue(Group)!, parse.GetValue(description), ct);
            output.Done($"created group {group.Name}", new { name = group.Name, description = group.Description });
        });
        return command;
    }

    private Command List()
    {
        var command = new Command("list", "List groups with their members");
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var groups = services.GetRequiredService<GroupService>();
            var views = new List<(string Name, string? Description, IReadOnlyList<string> Members)>();
            foreach (var g in await groups.ListAsync(ct))
                views.Add((g.Name, g.Description, await groups.MembersAsync(g.Name, ct)));
            output.List(views.Select(v => new { name = v.Name, description = v.Description, members = v.Members }).ToList(),
                ["NAME", "MEMBERS", "DESCRIPTION"],
                v => [v.name, string.Join(",", v.members), v.description]);
        });
        return command;
    }

    private Command Delete()
    {
        var command = new Command("delete", "Delete a group and the rules naming it") { Group };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var name = parse.GetValue(Group)!;
            await services.GetRequiredService<GroupService>().DeleteAsync(name, ct);
            output.Done($"group {name} deleted", new { name, deleted = true });
        });
        return command;
    }

    private Command Member(string verb, string description, Func<GroupService, string, string, CancellationToken, Task> change, string past)
    {
        var command = new Command(verb, description) { Group, User };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var (group, user) = (parse.GetValue(Group)!, parse.GetValue(User)!);
            await change(services.GetRequiredService<GroupService>(), group, user, ct);
            output.Done($"{user} {past} {group}", new { group, user });
        });
        return command;
    }
}
