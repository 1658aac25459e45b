using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Admin.Users;

public sealed class UsersModel(UserService users) : ConsolePage
{
    [BindProperty]
    public UserInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true, Name = Paging.Query)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<User> Users { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var user = await users.CreateAsync(Input.Name ?? "", Input.Password ?? "", Input.Admin, ct);
        return Done($"User {user.Name} was created.", $"/ui/admin/users/{Uri.EscapeDataString(user.Name)}");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        var total = await users.CountAsync(Filter, ct);
        var pages = Math.Max(1, (total + Paging.DefaultSize - 1) / Paging.DefaultSize);
        var page = Math.Clamp(PageNumber, 1, pages);
        Users = await users.ListAsync(Filter, (page - 1) * Paging.DefaultSize, Paging.DefaultSize, ct);
        Paging = Paging.For(page, pages, total, Paging.DefaultSize, Request);
    }
}

public sealed class UserInput
{
    public string? Name { get; set; }
    public string? Password { get; set; }
    public bool Admin { get; set; }
}
