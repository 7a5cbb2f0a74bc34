#pragma once

#include <cstddef>
#include <cstdint>

namespace roomscribe::media {

// MSB-first bit reader over a byte buffer. Reading past the end does not touch
// memory: it returns 0 and latches overrun(), so a parser can read a whole
// structure and check once.
class BitReader
{
public:
    BitReader(const uint8_t *data, size_t size) : m_data(data), m_sizeBits(size * 8) {}

    // n in 0..32.
    uint32_t read(int n)
    {
        if (n < 0 || n > 32 || m_sizeBits - m_pos < size_t(n)) {
            m_overrun = true;
            m_pos = m_sizeBits;
            return 0;
        }
        uint32_t value = 0;
        for (int i = 0; i < n; ++i, ++m_pos)
            value = (value << 1) | ((m_data[m_pos >> 3] >> (7 - (m_pos & 7))) & 1u);
        return value;
    }
    bool readFlag() { return read(1) != 0; }

    size_t position() const { return m_pos; }
    size_t bitsLeft() const { return m_sizeBits - m_pos; }
    bool overrun() const { return m_overrun; }

private:
    const uint8_t *m_data;
    size_t m_sizeBits;
    size_t m_pos = 0;
    bool m_overrun = false;
};

} // namespace roomscribe::media
