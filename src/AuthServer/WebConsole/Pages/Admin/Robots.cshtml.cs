using AuthServer.Admin.Models;
using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Admin;

public sealed class RobotsModel(RobotService robots, ConsoleRegistry registry, TimeProvider time) : ConsolePage
{
    [BindProperty]
    public RobotInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true, Name = Paging.Query)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<RobotView> Robots { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;
    public NewSecret? Created { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var made = await robots.CreateAsync(Input.ToSpec(time.GetUtcNow().UtcDateTime), ct);
        Created = new NewSecret($"Robot {made.Robot.Name} was created", made.Secret, made.Robot.Name, registry.Address);
        Input = new RobotInput();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string robot, CancellationToken ct)
    {
        await robots.SetDisabledAsync(robot, true, ct);
        return Done($"Robot {robot} was disabled.");
    }

    public async Task<IActionResult> OnPostEnableAsync(string robot, CancellationToken ct)
    {
        await robots.SetDisabledAsync(robot, false, ct);
        return Done($"Robot {robot} was enabled.");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string robot, CancellationToken ct)
    {
        await robots.DeleteAsync(robot, ct);
        return Done($"Robot {robot} was deleted.");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var all = (await robots.ListAsync(null, ct)).Select(r => RobotView.From(r, now))
            .Where(r => string.IsNullOrWhiteSpace(Filter) || r.Name.Contains(Filter.Trim(), StringComparison.OrdinalIgnoreCase)
                        || r.Owner.Contains(Filter.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray();
        (Robots, Paging) = Paging.Of(all, PageNumber, Request);
    }
}

public sealed class RobotInput
{
    public string? Name { get; set; }
    public string? Owner { get; set; }
    public string? Description { get; set; }
    public int ExpiresInDays { get; set; } = 365;
    public string? Scopes { get; set; }

    public RobotSpec ToSpec(DateTime now) => new(
        Name?.Trim() ?? "",
        string.IsNullOrWhiteSpace(Owner) ? null : Owner.Trim(),
        string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        ExpiresInDays > 0 ? now.AddDays(Math.Min(ExpiresInDays, 3650)) : null,
        ScopeLines.Split(Scopes));
}
