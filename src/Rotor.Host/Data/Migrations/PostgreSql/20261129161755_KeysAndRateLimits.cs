using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rotor.Host.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class KeysAndRateLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rotor_keys",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Generation = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ActivatesAt = table.Column<long>(type: "bigint", nullable: false),
                    Material = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rotor_keys", x => new { x.Kind, x.Generation });
                });

            migrationBuilder.CreateTable(
                name: "rotor_rate_limits",
                columns: table => new
                {
                    Policy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hits = table.Column<int>(type: "integer", nullable: false),
                    WindowStart = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rotor_rate_limits", x => new { x.Policy, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_rotor_rate_limits_ExpiresAt",
                table: "rotor_rate_limits",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rotor_keys");

            migrationBuilder.DropTable(
                name: "rotor_rate_limits");
        }
    }
}
