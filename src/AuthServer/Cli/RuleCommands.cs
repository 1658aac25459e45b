using AuthServer.Core.Policy;
using AuthServer.Core.Policy.Lint;

namespace AuthServer.Cli;

internal static class RuleCommands
{
    internal sealed record RuleView(long Id, string Effect, string Subject, string? Service, string Type, string Pattern, string Actions, string? Description)
    {
        public static RuleView From(AccessRule r) => new(r.Id, r.Effect.ToString().ToLowerInvariant(),
            RuleSubject.Format(r.SubjectKind, r.Subject), r.Service, r.ResourceType, r.Pattern, r.Actions, r.Description);
    }

    public static Command Create()
    {
        var command = new Command("rule", "Manage access rules (allows add up, denies subtract, order never matters)");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Lint());
        return command;
    }

    private static Command Add()
    {
        var subject = new Option<string>("--subject") { Description = "user:NAME, group:NAME, authenticated or anonymous", Required = true };
        var pattern = new Option<string>("--pattern") { Description = "Name pattern: * within a segment, ** across segments, ${user}", Required = true };
        var actions = new Option<string>("--actions") { Description = "Comma-separated: pull,push,delete or *", Required = true };
        var type = new Option<string>("--type") { Description = "Resource type", DefaultValueFactory = _ => "repository" };
        var service = new Option<string?>("--service") { Description = "Only for this service (default: every service)" };
        var deny = new Option<bool>("--deny") { Description = "Deny these actions instead of allowing them" };
        var description = new Option<string?>("--description") { Description = "Why the rule exists" };
        var command = new Command("add", "Add an access rule") { subject, pattern, actions, type, service, deny, description };
        CliRunner.SetAction(command, async (parse, services, output, ct) =>
        {
            var spec = new RuleSpec(
                parse.GetValue(deny) ? RuleEffect.Deny : RuleEffect.Allow,
                parse.GetValue(subject)!,
                parse.GetValue(type)!,
                parse.GetValue(pattern)!,
                parse.GetValue(actions)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                parse.GetValue(service),
                parse.GetValue(description));
            var rule = await services.GetRequiredService<RuleService>().CreateAsync(spec, ct);
            var view = RuleView.From(rule);
            output.Done($"added rule {rule.Id}: {view.Effect} {view.Subject} {view.Actions} on {view.Type}:{view.Pattern}", view);
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List access rules");
        CliRunner.SetAction(command, async (parse, services, output, ct) =>
        {
            var rules = await services.GetRequiredService<RuleService>().ListAsync(ct);
            output.List(rules.Select(RuleView.From).ToList(), ["ID", "EFFECT", "SUBJECT", "SERVICE", "TYPE", "PATTERN", "ACTIONS", "DESCRIPTION"],
                r => [r.Id.ToString(), r.Effect, r.Subject, r.Service ?? "*", r.Type, r.Pattern, r.Actions, r.Description]);
        });
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<long>("id") { Description = "Rule id (see rule list)" };
        var command = new Command("delete", "Delete an access rule") { id };
        CliRunner.SetAction(command, async (parse, services, output, ct) =>
        {
            var ruleId = parse.GetValue(id);
            await services.GetRequiredService<RuleService>().DeleteAsync(ruleId, ct);
            output.Done($"rule {ruleId} deleted", new { id = ruleId, deleted = true });
        });
        return command;
    }

    private static Command Lint()
    {
        var command = new Command("lint", "Report rules that can never match, duplicates, and rules that grant nothing");
        CliRunner.SetAction(command, async (parse, services, output, ct) =>
        {
            var findings = await services.GetRequiredService<RuleLintService>().LintAsync(ct);
            output.List(findings, ["RULE", "SEVERITY", "CODE", "FINDING"],
                f => [f.RuleId.ToString(), f.Severity.ToString().ToLowerInvariant(), f.Code, f.Message]);
        });
        return command;
    }
}
