package io.expansionsignals.io.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {

  @Test
  void headerIsMagicZeroThenBigEndianId() {
    assertThat(ConfluentWireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void readsBackTheIdItWrote() {
    for (int id : new int[] {0, 1, 255, 256, 65_536, Integer.MAX_VALUE, -1}) {
      byte[] message = AvroBytes.concat(ConfluentWireFormat.header(id), new byte[] {42});
      assertThat(ConfluentWireFormat.headerProblem(message)).isNull();
      assertThat(ConfluentWireFormat.readSchemaId(message)).isEqualTo(id);
    }
  }

  @Test
  void writesHeaderAtAnOffset() {
    byte[] target = new byte[8];
    ConfluentWireFormat.writeHeader(target, 3, 0x00_00_01_00);
    assertThat(target).containsExactly(0, 0, 0, 0, 0, 0, 1, 0);
  }

  @Test
  void explainsWhatIsWrongWithABadHeader() {
    assertThat(ConfluentWireFormat.headerProblem(null)).contains("null");
    assertThat(ConfluentWireFormat.headerProblem(new byte[] {0, 0, 0, 1}))
        .contains("4 bytes").contains("at least 5");
    assertThat(ConfluentWireFormat.headerProblem(new byte[] {1, 0, 0, 0, 1}))
        .contains("magic byte is 0x01");
    assertThat(ConfluentWireFormat.headerProblem(new byte[] {(byte) 0xff, 0, 0, 0, 1}))
        .contains("0xff");
  }

  @Test
  void refusesToReadAnIdFromABadHeader() {
    assertThatThrownBy(() -> ConfluentWireFormat.readSchemaId(new byte[] {7, 0, 0, 0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("magic byte");
  }
}
