using AuthServer.Admin.Models;
using AuthServer.Core.Policy;
using AuthServer.Core.Policy.Explain;
using AuthServer.Core.Policy.Lint;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class PolicyEndpoints
{
    public static RouteGroupBuilder MapPolicyEndpoints(this RouteGroupBuilder api)
    {
        var policy = api.MapGroup("/policy").WithTags("Policy");

        policy.MapPost("/explain", async Task<Ok<Explanation>> (ExplainRequest body, PolicyExplainer explainer, CancellationToken ct) =>
                TypedResults.Ok(await explainer.ExplainAsync(body, ct)))
            .WithName("ExplainPolicy")
            .WithSummary("What an account (none: anonymous), optionally through one of its access tokens, would be granted per scope, and which rules decided each action")
            .ProducesValidationProblem();

        policy.MapGet("/lint", async Task<Ok<LintReport>> (RuleLintService lint, RuleService rules, CancellationToken ct) =>
            {
                var findings = await lint.LintAsync(ct);
                return TypedResults.Ok(new LintReport((await rules.ListAsync(ct)).Count,
                    findings.Count(f => f.Severity == LintSeverity.Error), findings.Count(f => f.Severity == LintSeverity.Warning), findings));
            })
            .WithName("LintRules").WithSummary("Rules that can never match, duplicates, and rules that grant nothing");
        return api;
    }
}
