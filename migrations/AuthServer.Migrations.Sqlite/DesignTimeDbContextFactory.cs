using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AuthServer.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model against SQLite without starting the server.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AuthServerDbContext>
{
    public AuthServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AuthServerDbContext>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(typeof(DesignTimeDbContextFactory).Assembly.GetName().Name))
            .Options);
}
