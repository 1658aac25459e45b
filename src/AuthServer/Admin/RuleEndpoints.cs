using AuthServer.Admin.Models;
using AuthServer.Core.Policy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class RuleEndpoints
{
    public static RouteGroupBuilder MapRuleEndpoints(this RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/rules").WithTags("Rules");

        rules.MapPost("/", async Task<Created<RuleView>> (RuleInput body, RuleService service, CancellationToken ct) =>
            {
                var rule = await service.CreateAsync(body.ToSpec(), ct);
                return TypedResults.Created($"{AdminApi.Prefix}/rules/{rule.Id}", RuleView.From(rule));
            })
            .WithName("CreateRule").WithSummary("Add an access rule; takes effect on the next token request").ProducesValidationProblem();

        rules.MapGet("/", async Task<Ok<RuleView[]>> (RuleService service, CancellationToken ct) =>
                TypedResults.Ok((await service.ListAsync(ct)).Select(RuleView.From).ToArray()))
            .WithName("ListRules").WithSummary("List access rules (they have no order: allows add up, denies subtract)");

        rules.MapGet("/{id:long}", async Task<Ok<RuleView>> (long id, RuleService service, CancellationToken ct) =>
                TypedResults.Ok(RuleView.From(await service.GetAsync(id, ct))))
            .WithName("GetRule").WithSummary("Get an access rule").ProducesProblem(StatusCodes.Status404NotFound);

        rules.MapPut("/{id:long}", async Task<Ok<RuleView>> (long id, RuleInput body, RuleService service, CancellationToken ct) =>
                TypedResults.Ok(RuleView.From(await service.UpdateAsync(id, body.ToSpec(), ct))))
            .WithName("UpdateRule").WithSummary("Replace an access rule").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        rules.MapDelete("/{id:long}", async Task<NoContent> (long id, RuleService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteRule").WithSummary("Delete an access rule").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
