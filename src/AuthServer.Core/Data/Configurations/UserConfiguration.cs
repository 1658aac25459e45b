using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.Property(u => u.Name).HasMaxLength(64);
        b.Property(u => u.NormalizedName).HasMaxLength(64);
        b.HasIndex(u => u.NormalizedName).IsUnique();
        b.Property(u => u.PasswordHash).HasMaxLength(100);
        b.Property(u => u.Source).HasMaxLength(32).HasDefaultValue(IdentitySources.Local);
        b.Property(u => u.ExternalId).HasMaxLength(1024);
        b.Ignore(u => u.IsBlocked);
        b.Ignore(u => u.IsLocal);
        b.Property(u => u.SecurityStamp).HasMaxLength(64).IsConcurrencyToken();
    }
}
