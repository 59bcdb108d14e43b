package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
import dev.reelmark.json.Json;
import dev.reelmark.testing.Golden;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog validator on good and bad bodies for create and update: the column values it produces, or the 400's
 * field and message, in one golden file (golden/catalog/validator.txt).
 */
class CatalogValidatorGoldenTest {
    enum Op { CREATE, UPDATE }

    record Case(EntityType type, Op op, String body) {
    }

    static final List<Case> CASES = List.of(
            new Case(CatalogModel.PROJECTS, Op.CREATE, "{\"name\": \"Harbor\", \"description\": null}"),
            new Case(CatalogModel.PROJECTS, Op.CREATE, "{}"),
            new Case(CatalogModel.PROJECTS, Op.CREATE, "{\"name\": \"   \"}"),
            new Case(CatalogModel.PROJECTS, Op.CREATE, "{\"name\": 7}"),
            new Case(CatalogModel.PROJECTS, Op.CREATE, "{\"name\": \"a\", \"id\": 3}"),
            new Case(CatalogModel.PROJECTS, Op.CREATE, "{\"name\": \"a\", \"colour\": \"red\"}"),
            new Case(CatalogModel.PROJECTS, Op.CREATE, "{\"name\": \"a\\u0000b\"}"),
            new Case(CatalogModel.PROJECTS, Op.CREATE, "{\"name\": \"" + "x".repeat(501) + "\"}"),
            new Case(CatalogModel.PROJECTS, Op.UPDATE, "{}"),
            new Case(CatalogModel.PROJECTS, Op.UPDATE, "{\"name\": null}"),
            new Case(CatalogModel.CHARACTERS, Op.CREATE, "{\"project_id\": 1, \"name\": \"Ava\", \"tags\": [\"lead\", \"hero\"], \"custom_fields\": {\"eyes\": \"green\"}}"),
            new Case(CatalogModel.CHARACTERS, Op.CREATE, "{\"project_id\": 0, \"name\": \"Ava\"}"),
            new Case(CatalogModel.CHARACTERS, Op.CREATE, "{\"project_id\": 1.5, \"name\": \"Ava\"}"),
            new Case(CatalogModel.CHARACTERS, Op.CREATE, "{\"project_id\": 1, \"name\": \"Ava\", \"tags\": [\"ok\", 3]}"),
            new Case(CatalogModel.CHARACTERS, Op.CREATE, "{\"project_id\": 1, \"name\": \"Ava\", \"tags\": \"lead\"}"),
            new Case(CatalogModel.CHARACTERS, Op.CREATE, "{\"project_id\": 1, \"name\": \"Ava\", \"custom_fields\": [1]}"),
            new Case(CatalogModel.CHARACTERS, Op.UPDATE, "{\"project_id\": 2}"),
            new Case(CatalogModel.SCENES, Op.CREATE, "{\"character_id\": 1, \"scene_type_id\": 2, \"name\": \"Dock\", \"status\": \"done\"}"),
            new Case(CatalogModel.SCENES, Op.CREATE, "{\"character_id\": 1, \"scene_type_id\": 2, \"name\": \"Dock\", \"status\": null}"),
            new Case(CatalogModel.SEGMENTS, Op.CREATE, "{\"scene_id\": 3, \"sequence_index\": -1}"),
            new Case(CatalogModel.SEGMENTS, Op.CREATE, "{\"scene_id\": 3, \"sequence_index\": 2, \"status\": \"complete\", \"output_video_path\": \"media/a.mp4\"}"),
            new Case(CatalogModel.SEGMENTS, Op.UPDATE, "{\"status\": \"approved\", \"output_video_path\": null}"),
            new Case(CatalogModel.SEGMENT_QUALITY, Op.CREATE, "{\"segment_id\": 1, \"overall_score\": 1.5}"),
            new Case(CatalogModel.SEGMENT_QUALITY, Op.CREATE, "{\"segment_id\": 1, \"overall_score\": \"0.5\"}"),
            new Case(CatalogModel.SEGMENT_QUALITY, Op.CREATE, "{\"segment_id\": 1, \"overall_score\": 0.25, \"failure_tags\": [\"blur\"]}"),
            new Case(CatalogModel.FRAME_METRICS, Op.CREATE, "{\"segment_id\": 1, \"frame\": 0, \"boundary_ssim\": -2}"),
            new Case(CatalogModel.FRAME_METRICS, Op.CREATE, "{\"segment_id\": 1, \"frame\": 12, \"face_confidence\": true}"),
            new Case(CatalogModel.ASSETS, Op.CREATE, "{\"kind\": \"lora\", \"name\": \"ava\", \"version_label\": \"v1\", \"checksum_sha256\": \"ABC\"}"),
            new Case(CatalogModel.ASSETS, Op.CREATE, "{\"kind\": \"lora\", \"name\": \"ava\", \"version_label\": \"v1\", \"checksum_sha256\": \""
                    + "0123456789abcdef".repeat(4) + "\"}"),
            new Case(CatalogModel.IMAGES, Op.CREATE, "{\"character_id\": 1, \"image_type\": \"source\", \"filename\": \"a.png\", \"path\": \"images/a.png\", \"version_number\": 2}"));

    @Test
    void valuesOrTheFirstBadFieldForEveryCase() {
        StringBuilder out = new StringBuilder();
        int accepted = 0;
        for (Case c : CASES) {
            String shown = c.body().length() > 120 ? c.body().substring(0, 117) + "..." : c.body();
            out.append(c.type().label()).append(' ').append(c.op().name().toLowerCase()).append(' ').append(shown).append("\n  -> ");
            ObjectNode body = (ObjectNode) Json.parse(c.body());
            try {
                Map<String, Object> values = c.op() == Op.CREATE ? CatalogValidator.forCreate(c.type(), body)
                        : CatalogValidator.forUpdate(c.type(), body);
                out.append("ok ").append(values);
                accepted++;
            } catch (DomainException e) {
                out.append(ApiError.statusOf(e)).append(' ').append(e.code()).append(" field=").append(e.field()).append(": ").append(e.getMessage());
            }
            out.append('\n');
        }
        Golden.check("catalog/validator.txt", out.toString());
        assertThat(accepted).isEqualTo(6);
    }
}
